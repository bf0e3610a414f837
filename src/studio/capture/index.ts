// The capture services: camera to server, the test bench, and preview links.
export { CaptureService } from './capture-service';
export { idleStatus, type EncoderTuning } from './encoder-run';
export { describeFailure, type FailureWords } from './failure-words';
export { PREVIEW_TTL_SECONDS, PreviewLinks, type PlayQuery, type PreviewLinksDeps } from './preview-links';
export type { PublisherDeps, PublishQuery, ServerTarget } from './publish-target';
export { parseRecordingFormat, type RecordingFormat } from './recording-format';
export { TEST_BENCH_STREAM, TestBench } from './test-bench';

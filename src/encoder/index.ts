export { captureToRtmpArgs, type CaptureToRtmpOptions } from './args/capture-to-rtmp';
export { rtmpConnArgs, rtmpOutputArgs, type RtmpOutputOptions } from './args/rtmp-output';
export { testPatternArgs, type TestPatternOptions } from './args/test-pattern';
export { EncoderError, type EncoderErrorCode } from './errors';
export { classifyFailure, type FailureKind, type FailureReason } from './failure';
export { resolveFfmpegPath } from './ffmpeg-path';
export { FfmpegProgress, type ProgressSnapshot } from './progress';
export { EncoderSupervisor, type EncoderExit, type EncoderSupervisorEvents, type EncoderSupervisorOptions, type SupervisorState } from './supervisor';

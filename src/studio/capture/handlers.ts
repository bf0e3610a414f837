// Camera capture, the test bench and preview links: the requests of the Studio and Preview screens.
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { CaptureService } from './capture-service';
import type { PreviewLinks } from './preview-links';
import type { TestBench } from './test-bench';

type CaptureRequest = Extract<keyof RequestHandlers, `capture.${string}` | `testBench.${string}` | `preview.${string}`>;

export function captureHandlers(capture: CaptureService, testBench: TestBench, previews: PreviewLinks): Pick<RequestHandlers, CaptureRequest> {
  return {
    'capture.start': (input) => capture.start(input),
    'capture.chunk': (input) => capture.chunk(input),
    'capture.stop': (input) => capture.stop(input),
    'testBench.start': (input) => testBench.start(input),
    'testBench.stop': () => testBench.stop(),
    'preview.url': async (input) => previews.url(input),
  };
}

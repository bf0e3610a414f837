import { AAC_ARGS, REPORTING_ARGS, x264Args } from './common';
import { rtmpOutputArgs, type RtmpOutputOptions } from './rtmp-output';

export interface TestPatternOptions extends RtmpOutputOptions {
  width: number;
  height: number;
  fps: number;
  bitrateKbps: number;
  /** A 1 kHz sine with the picture, so audio is checked too. */
  tone: boolean;
  keyframeIntervalSeconds?: number;
}

/** A synthetic live source (lavfi testsrc2 and sine, paced by -re) published like a camera would be. */
export function testPatternArgs(options: TestPatternOptions): string[] {
  const { width, height, fps, bitrateKbps, tone, keyframeIntervalSeconds = 2 } = options;
  return [
    ...REPORTING_ARGS, '-nostdin',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    ...(tone ? ['-re', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000'] : []),
    ...x264Args({ bitrateKbps, fps, keyframeIntervalSeconds }),
    ...(tone ? AAC_ARGS : ['-an']),
    ...rtmpOutputArgs(options),
  ];
}

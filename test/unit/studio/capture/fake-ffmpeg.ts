// Executables standing in for ffmpeg in the studio's unit tests: they log each run's command line and act out one behaviour.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * reader: reads stdin, reports progress once bytes arrive, and on end of input reports the total and exits 0.
 * stuck: reports progress but never reads stdin, like an ffmpeg blocked on its output.
 * refused: fails as ffmpeg does when the server refuses the publish.
 */
export type FakeBehaviour = 'reader' | 'stuck' | 'refused';

const PROGRESS = `'frame=30\\nfps=30.0\\nbitrate= 812.3kbits/s\\nout_time_us=1000000\\ndup_frames=2\\ndrop_frames=1\\nspeed=1.01x\\nprogress=continue\\n'`;

const BEHAVIOURS: Record<FakeBehaviour, string> = {
  reader: `
    let n = 0;
    process.stdin.on('data', (chunk) => { if (n === 0) process.stdout.write(${PROGRESS}); n += chunk.length; });
    process.stdin.on('end', () => { process.stderr.write('read ' + n + '\\n'); process.stdout.write('frame=90\\nout_time_us=3000000\\nprogress=end\\n', () => process.exit(0)); });`,
  stuck: `
    process.stdin.pause();
    process.stdout.write(${PROGRESS});
    setInterval(() => {}, 1000);`,
  refused: `
    process.stderr.write('[rtmp @ 0x1] Server error: Not authorized to publish live/studio.\\n', () => process.exit(1));`,
};

export class FakeFfmpeg {
  readonly dir = mkdtempSync(join(tmpdir(), 'airlock-fake-ffmpeg-'));
  private readonly log = join(this.dir, 'runs.jsonl');

  /** The path of an executable that behaves so. */
  path(behaviour: FakeBehaviour): string {
    const file = join(this.dir, `ffmpeg-${behaviour}`);
    const script = `#!${process.execPath}
const { appendFileSync } = require('node:fs');
appendFileSync(${JSON.stringify(this.log)}, JSON.stringify(process.argv.slice(2)) + '\\n');
process.on('SIGINT', () => process.exit(255));
${BEHAVIOURS[behaviour]}
`;
    writeFileSync(file, script);
    chmodSync(file, 0o755);
    return file;
  }

  /** The command line of every run so far, in order. */
  runs(): string[][] {
    try {
      return readFileSync(this.log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]);
    } catch {
      return [];
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

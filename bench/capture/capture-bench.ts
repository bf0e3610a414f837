// The capture bench: the real renderer in Chromium goes live on the real studio services, from a camera that stamps
// each frame's number (stamp-page.ts), through MediaRecorder, the IPC bridge, ffmpeg and the embedded server, and
// back through the Preview screen's player. Measures capture-to-preview latency per frame and the CPU of the
// encoding ffmpeg, once with the recorder's H.264 stream-copied and once re-encoded with x264.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { bridgePage } from '../../test/e2e/support/bridge';
import { childFfmpegPids } from '../../test/support/child-ffmpeg';
import { launchChromium } from '../../test/e2e/support/chromium';
import { pageScript } from '../../test/e2e/support/page-script';
import { rendererBuild } from '../../test/e2e/support/renderer-build';
import { serveDirectory } from '../../test/e2e/support/static-server';
import { openStudioServices, type StudioServices } from '../../test/e2e/support/studio-services';
import { readCpuSeconds } from '../proc-stats';
import { percentile } from '../stats';
import { installStampedCamera, type StampSamples } from './stamp-page';

export type EncodePath = 'copy' | 'x264';

export interface CaptureBenchOptions {
  /** Measurement window per encoding path. */
  seconds: number;
  /** Time live before the window, for the preview to settle on its latency. */
  warmupSeconds: number;
}

export interface CaptureRecord {
  path: EncodePath;
  width: number;
  height: number;
  fps: number;
  /** Stamped frames the preview presented in the window, and their capture-to-preview latency. */
  frames: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  /** Median of what the player held buffered ahead of the presented frame: the player's share of the latency. */
  playerBufferP50Ms: number;
  /** Median latency less the player's buffer: capture, MediaRecorder, IPC, ffmpeg, server and network. */
  pipelineP50Ms: number;
  /** Frames drawn into the camera in the window; frames − presented ones were dropped or skipped on the way. */
  drawn: number;
  undecoded: number;
  /** The encoding ffmpeg's CPU (user + system, all threads) over the window, % of one core. */
  ffmpegCpuPercent: number;
  error?: string;
}

const SINK = '__airlockStamps';
const UI_MS = 60_000;

const readSamples = (page: Page): Promise<StampSamples> => page.evaluate((sink) => (window as unknown as Record<string, StampSamples>)[sink]!, SINK);

/** One encoding path, start to finish, on fresh services and a fresh page. */
async function measurePath(browser: Browser, rendererUrl: string, path: EncodePath, options: CaptureBenchOptions): Promise<CaptureRecord> {
  const dataDir = await mkdtemp(join(tmpdir(), 'airlock-capture-bench-'));
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  let services: StudioServices | undefined;
  try {
    services = await openStudioServices(dataDir);
    const settings = await services.studio.handlers['settings.update']({ capture: { preferCopy: path === 'copy' } });
    const { width, height, frameRate: fps } = settings.capture;
    const page = await context.newPage();
    const bridge = await bridgePage(page, services.studio.handlers);
    services.connect(bridge.emit);
    await page.addInitScript(pageScript(installStampedCamera, { sink: SINK, fps }));
    await page.goto(rendererUrl);
    await services.waitForEvent('server.status', (status) => status.state === 'running', 'the studio server running');

    await page.getByRole('tab', { name: 'Studio' }).click();
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByRole('status').filter({ hasText: /^Live\.$/ }).waitFor({ timeout: UI_MS });
    const video = (await page.getByLabel('Encoder video').textContent()) ?? '';
    if ((path === 'copy') !== video.includes('copied')) throw new Error(`asked for ${path}, the encoder says "${video}"`);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Live preview').waitFor({ timeout: UI_MS });
    await sleep(options.warmupSeconds * 1000);

    const [pid] = childFfmpegPids('capture');
    if (pid === undefined) throw new Error('no capture ffmpeg is running');
    const before = await readSamples(page);
    const cpuBefore = readCpuSeconds(pid);
    const startedAt = performance.now();
    await sleep(options.seconds * 1000);
    const cpu = readCpuSeconds(pid) - cpuBefore;
    const elapsed = (performance.now() - startedAt) / 1000;
    const after = await readSamples(page);
    const window = after.latenciesMs.slice(before.latenciesMs.length);
    const buffers = after.bufferedAheadMs.slice(before.bufferedAheadMs.length);
    const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
    const latencies = ascending(window);
    if (latencies.length === 0) throw new Error(`the preview presented no stamped frame in ${options.seconds} s (${after.undecoded - before.undecoded} undecoded)`);
    return {
      path,
      width,
      height,
      fps,
      frames: latencies.length,
      latencyP50Ms: percentile(latencies, 50),
      latencyP95Ms: percentile(latencies, 95),
      latencyMaxMs: latencies[latencies.length - 1]!,
      playerBufferP50Ms: percentile(ascending(buffers), 50),
      pipelineP50Ms: percentile(ascending(window.map((latency, i) => latency - buffers[i]!)), 50),
      drawn: after.drawn - before.drawn,
      undecoded: after.undecoded - before.undecoded,
      ffmpegCpuPercent: (cpu / elapsed) * 100,
    };
  } finally {
    await context.close();
    await services?.studio.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Both encoding paths, one after the other, in one Chromium; a path that fails is recorded with its error. */
export async function runCaptureBench(options: CaptureBenchOptions): Promise<CaptureRecord[]> {
  const site = await serveDirectory(await rendererBuild());
  let browser: Browser | undefined;
  const records: CaptureRecord[] = [];
  try {
    browser = await launchChromium();
    for (const path of ['copy', 'x264'] as const) {
      records.push(
        await measurePath(browser, site.url, path, options).catch((error: Error): CaptureRecord => ({
          path, width: 0, height: 0, fps: 0, frames: 0, latencyP50Ms: NaN, latencyP95Ms: NaN, latencyMaxMs: NaN, playerBufferP50Ms: NaN, pipelineP50Ms: NaN, drawn: 0, undecoded: 0, ffmpegCpuPercent: NaN, error: error.message,
        })),
      );
    }
  } finally {
    await browser?.close();
    await site.close();
  }
  return records;
}

const fixed = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** The capture table and the copy/re-encode CPU ratio, as lines for the console. */
export function formatCaptureRecords(records: CaptureRecord[]): string[] {
  const lines = ['capture → preview (the real renderer and services; latency from drawing a frame to the preview presenting it)'];
  lines.push('path   size        fps  frames  latency p50 / p95 / max ms  = pipeline + player buffer p50 ms  ffmpeg CPU % of a core');
  for (const record of records) {
    if (record.error) {
      lines.push(`${record.path.padEnd(6)} failed: ${record.error}`);
      continue;
    }
    const size = `${record.width}x${record.height}`.padEnd(11);
    const latency = `${fixed(record.latencyP50Ms)} / ${fixed(record.latencyP95Ms)} / ${fixed(record.latencyMaxMs)}`.padEnd(26);
    const split = `${fixed(record.pipelineP50Ms)} + ${fixed(record.playerBufferP50Ms)}`.padEnd(33);
    lines.push(`${record.path.padEnd(6)} ${size} ${String(record.fps).padStart(3)}  ${String(record.frames).padStart(6)}  ${latency}  ${split}  ${fixed(record.ffmpegCpuPercent, 1).padStart(22)}`);
  }
  const [copy, x264] = records;
  if (copy && x264 && !copy.error && !x264.error) lines.push(`ffmpeg CPU copy / re-encode: ${fixed(copy.ffmpegCpuPercent / x264.ffmpegCpuPercent, 3)}`);
  return lines;
}

// The load generator: one publisher and many players against one running server, all in this
// process, measured over windows of message timestamps.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FlvTag } from '../src/server/flv/tag';
import { MeasureWindow } from './measure-window';
import { Player } from './player';
import type { PlayerTarget } from './player';
import { readCpuSeconds, readMachineBusySeconds, readPeakRssBytes } from './proc-stats';
import { Publisher } from './publisher';
import { RtmpClient } from './rtmp-client';
import { distribution } from './stats';
import type { Distribution } from './stats';
import type { RunningTarget } from './targets';

export interface LoadOptions {
  /** Players whose every message's latency is recorded (spread evenly over all players). */
  sampledPlayers: number;
  /** Players connecting at once. */
  connectConcurrency: number;
  /** How long to wait for every player's first keyframe after connecting. */
  firstFrameTimeoutMs: number;
  /** After a window closes, how long late messages may still arrive and count. */
  drainMs: number;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = {
  sampledPlayers: 20,
  connectConcurrency: 50,
  firstFrameTimeoutMs: 5_000,
  drainMs: 2_000,
};

/** How often every player's lag behind the publisher is sampled. */
const LAG_SAMPLE_MS = 250;
/** Sampling interval of the generator's event loop delay histogram. */
const LOOP_DELAY_RESOLUTION_MS = 1;
const STREAM_NAME = 'bench';
/** Largest read: what libuv reads at once from a TCP socket by default. */
const READ_BUFFER_SIZE = 64 * 1024;

export interface WindowResult {
  players: number;
  seconds: number;
  /** Bytes all players received per second, RTMP framing included. */
  throughputMbps: number;
  /** Media bitrate the publisher wrote, for comparison (times players = ideal delivery). */
  publishedMbps: number;
  /** Server user+system CPU over the window, % of one core. */
  serverCpuPercent: number;
  /** This load generator's CPU over the window, % of one core: near 100 means the generator was the limit. */
  generatorCpuPercent: number;
  /** p99 of this generator's event loop delay over the window, ms: it adds to the measured latency. */
  generatorLoopDelayP99Ms: number;
  /** CPU the rest of the machine used over the window, % of one core: well above 0 means a noisy run. */
  otherCpuPercent: number;
  /** Server peak resident set (VmHWM) since it started, MB. */
  peakRssMB: number;
  /** Publisher write to player read of the complete message, sampled players only. */
  latencyMs: Distribution;
  /** Player connect to first coded video keyframe, every player. */
  firstFrameMs: Distribution;
  /** Players that never received a keyframe. */
  firstFrameMissing: number;
  /** Media messages the publisher sent with timestamps inside the window. */
  sentPerPlayer: number;
  /** Sum over players of window messages they did not receive. */
  lostMessages: number;
  playersWithLoss: number;
  /** Most window messages any one player missed. */
  maxLostPerPlayer: number;
  /** Players that failed to connect or were disconnected. */
  disconnected: number;
  /** Most any player trailed the publisher's latest timestamp during the window, ms. */
  maxBehindMs: number;
}

export class LoadSession {
  readonly players: Player[] = [];
  private readonly window = new MeasureWindow();
  private readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_SIZE);
  private readonly target: PlayerTarget;
  private publisherClient: RtmpClient | null = null;
  private publisher: Publisher | null = null;

  constructor(
    private readonly server: RunningTarget,
    private readonly tags: FlvTag[],
    private readonly options: LoadOptions = DEFAULT_LOAD_OPTIONS,
  ) {
    this.target = { host: server.host, port: server.port, app: server.app, streamName: STREAM_NAME };
  }

  async startPublisher(): Promise<void> {
    // The publisher reads little: its own buffer keeps it apart from the players' shared one.
    this.publisherClient = new RtmpClient({ ...this.target, role: 'publish', readBuffer: Buffer.allocUnsafe(READ_BUFFER_SIZE) });
    await this.publisherClient.ready;
    this.publisher = new Publisher(this.publisherClient, this.tags, this.window);
    this.publisher.start();
  }

  /** Connects `count` more players, a few at a time, then waits for their first keyframes. */
  async addPlayers(count: number): Promise<void> {
    const publisher = this.requirePublisher();
    const added: Player[] = [];
    let started = 0;
    const worker = async (): Promise<void> => {
      while (started < count) {
        started += 1;
        const player = new Player(this.target, this.readBuffer, this.window, publisher);
        added.push(player);
        this.players.push(player);
        // A failed player stays in the list: it counts as disconnected and its messages as lost.
        await player.client.ready.catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(count, this.options.connectConcurrency) }, worker));
    const deadline = performance.now() + this.options.firstFrameTimeoutMs;
    while (performance.now() < deadline && added.some((p) => p.client.live && p.firstFrameMs < 0)) await sleep(50);
  }

  /** Measures one window of `seconds` over the players connected now. */
  async measure(seconds: number): Promise<WindowResult> {
    const publisher = this.requirePublisher();
    const latencies: number[] = [];
    this.chooseSampled(latencies);
    for (const player of this.players) player.resetWindow();
    this.window.open(publisher.lastTimestamp);
    publisher.sentInWindow = 0;

    const cpu0 = readCpuSeconds(this.server.pid);
    const machine0 = readMachineBusySeconds();
    const generator0 = process.cpuUsage();
    const bytes0 = this.bytesReceived();
    const published0 = publisher.bytesSent;
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    loopDelay.enable();
    const t0 = performance.now();
    const lagTimer = setInterval(() => {
      for (const player of this.players) player.sampleLag(publisher.lastTimestamp);
    }, LAG_SAMPLE_MS);
    await sleep(seconds * 1000);
    clearInterval(lagTimer);
    loopDelay.disable();
    const elapsed = (performance.now() - t0) / 1000;
    const cpu1 = readCpuSeconds(this.server.pid);
    const machine = readMachineBusySeconds() - machine0;
    const generator = process.cpuUsage(generator0);
    const generatorSeconds = (generator.user + generator.system) / 1e6;
    const bytes = this.bytesReceived() - bytes0;
    const published = publisher.bytesSent - published0;
    const peakRss = readPeakRssBytes(this.server.pid);
    this.window.close(publisher.lastTimestamp);
    await sleep(this.options.drainMs);

    const sent = publisher.sentInWindow;
    let lostMessages = 0;
    let playersWithLoss = 0;
    let maxLostPerPlayer = 0;
    for (const player of this.players) {
      const lost = sent - player.received;
      lostMessages += lost;
      if (lost > 0) playersWithLoss += 1;
      maxLostPerPlayer = Math.max(maxLostPerPlayer, lost);
    }
    const firstFrames = this.players.filter((p) => p.firstFrameMs >= 0).map((p) => p.firstFrameMs);
    return {
      players: this.players.length,
      seconds: elapsed,
      throughputMbps: (bytes * 8) / elapsed / 1e6,
      publishedMbps: (published * 8) / elapsed / 1e6,
      serverCpuPercent: ((cpu1 - cpu0) / elapsed) * 100,
      generatorCpuPercent: (generatorSeconds / elapsed) * 100,
      // The histogram records whole timer intervals: the resolution itself is not delay.
      generatorLoopDelayP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_DELAY_RESOLUTION_MS),
      otherCpuPercent: (Math.max(0, machine - (cpu1 - cpu0) - generatorSeconds) / elapsed) * 100,
      peakRssMB: peakRss / 1e6,
      latencyMs: distribution(latencies),
      firstFrameMs: distribution(firstFrames),
      firstFrameMissing: this.players.length - firstFrames.length,
      sentPerPlayer: sent,
      lostMessages,
      playersWithLoss,
      maxLostPerPlayer,
      disconnected: this.players.filter((p) => !p.client.live).length,
      maxBehindMs: Math.max(0, ...this.players.map((p) => p.maxBehindMs)),
    };
  }

  close(): void {
    this.publisher?.stop();
    this.publisherClient?.close();
    for (const player of this.players) player.client.close();
  }

  /** The first reasons players failed, for the log. */
  failures(limit = 3): string[] {
    const reasons = this.players.filter((p) => !p.client.live).map((p) => p.client.closeReason ?? 'unknown');
    return [...new Set(reasons)].slice(0, limit);
  }

  /** Spreads the latency-recording players evenly over all players. */
  private chooseSampled(latencies: number[]): void {
    const stride = Math.max(1, Math.floor(this.players.length / this.options.sampledPlayers));
    this.players.forEach((player, i) => {
      player.latencies = i % stride === stride - 1 ? latencies : null;
    });
  }

  private bytesReceived(): number {
    let total = 0;
    for (const player of this.players) total += player.client.bytesReceived;
    return total;
  }

  private requirePublisher(): Publisher {
    if (this.publisher === null) throw new Error('startPublisher() first');
    return this.publisher;
  }
}

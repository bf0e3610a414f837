import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSecurityDocument } from '../../../../src/server/auth/security-document';
import type { ServerChild } from '../../../../src/server/host/channel';
import type { PemCertificate } from '../../../../src/server/host/protocol';
import { ServerHost, backoffDelay, type ServerHostOptions, type StateChange } from '../../../../src/server/host/server-host';
import { generateSelfSigned } from '../../../../src/server/tls/generate-self-signed';

const ADDRESSES = { rtmp: { address: '127.0.0.1', family: 'IPv4', port: 1935 }, http: null, rtmps: null, https: null, proxy: null };

/** An in-memory server process that answers the way it is told to. */
class FakeChild implements ServerChild {
  static count = 0;
  readonly pid = 1000 + FakeChild.count++;
  readonly sent: unknown[] = [];
  private messageListener: (message: unknown) => void = () => {};
  private exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  private alive = true;

  constructor(private readonly answer: 'listen' | 'refuse' | 'silent' | 'garbage') {}

  send(message: unknown): void {
    this.sent.push(message);
    const { id, method } = message as { id: number; method: string };
    if (this.answer === 'silent') return;
    if (this.answer === 'garbage') return queueMicrotask(() => this.reply({ kind: 'reply', id, ok: true, result: 'not addresses' }));
    if (method === 'start' && this.answer === 'refuse') return queueMicrotask(() => this.reply({ kind: 'reply', id, ok: false, error: { code: 'HOST_START_FAILED', message: 'listen EADDRINUSE' } }));
    const result = method === 'start' ? ADDRESSES : method === 'stats' ? { streams: [], connections: { total: 0, rtmp: 0 } } : method === 'kick' ? false : null;
    queueMicrotask(() => {
      this.reply({ kind: 'reply', id, ok: true, result });
      if (method === 'stop') this.exit(0, null);
    });
  }

  onMessage(listener: (message: unknown) => void): void {
    this.messageListener = listener;
  }

  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(listener);
  }

  kill(): void {
    this.exit(null, 'SIGKILL');
  }

  reply(message: unknown): void {
    if (this.alive) this.messageListener(message);
  }

  exit(code: number | null, signal: string | null): void {
    if (!this.alive) return;
    this.alive = false;
    queueMicrotask(() => this.exitListeners.forEach((listener) => listener(code, signal)));
  }
}

let children: FakeChild[];
let changes: StateChange[];

function makeHost(answers: Array<FakeChild['answer']>, options: Partial<ServerHostOptions> = {}): ServerHost {
  const host = new ServerHost({
    spawnChild: () => {
      const child = new FakeChild(answers.shift() ?? 'listen');
      children.push(child);
      return child;
    },
    ...options,
  });
  host.on('state', (change) => changes.push(change));
  return host;
}

const last = () => children[children.length - 1];
const methodsSent = (child: FakeChild) => child.sent.map((message) => (message as { method: string }).method);
const OPEN = { ...defaultSecurityDocument(), policy: { default: { publish: 'open' as const, play: 'open' as const }, apps: {} } };
// Two real pairs: the host checks a replacement in full before keeping it.
let PEM: PemCertificate;
let PEM2: PemCertificate;
beforeAll(async () => {
  const pairs = await Promise.all([generateSelfSigned(['DNS:localhost'], new Date()), generateSelfSigned(['DNS:localhost'], new Date())]);
  [PEM, PEM2] = pairs.map(({ cert, key }) => ({ certPem: cert, keyPem: key }));
});

beforeEach(() => {
  vi.useFakeTimers();
  children = [];
  changes = [];
});
afterEach(() => vi.useRealTimers());

describe('backoffDelay', () => {
  it('doubles from the first delay and stops at the ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => backoffDelay(attempt, 500, 10_000))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
});

describe('ServerHost', () => {
  it('restarts with 0.5 s doubling to 10 s while relaunches keep failing, then succeeds and counts one restart', async () => {
    const host = makeHost(['listen', ...Array<FakeChild['answer']>(6).fill('refuse')]);
    await host.start({ rtmpPort: 0 });
    last().kill();
    for (let i = 0; i < 7; i++) await vi.runOnlyPendingTimersAsync();
    const restarting = changes.filter(({ state }) => state === 'restarting');
    expect(restarting.map(({ delayMs }) => delayMs)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(restarting.map(({ attempt }) => attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(host.state).toBe('running');
    expect(host.restarts).toBe(1);
    expect(children).toHaveLength(8);
    expect(changes.filter(({ state }) => state === 'crashed')[1].reason).toBe('listen EADDRINUSE');
  });

  it('re-applies the last start options to every new process', async () => {
    const host = makeHost([]);
    await host.start({ rtmpPort: 1935, limits: { idleTimeoutMs: 3000 } });
    last().kill();
    await vi.runOnlyPendingTimersAsync();
    expect(children.map((child) => (child.sent[0] as { options: unknown }).options)).toEqual([
      { rtmpPort: 1935, limits: { idleTimeoutMs: 3000 } },
      { rtmpPort: 1935, limits: { idleTimeoutMs: 3000 } },
    ]);
  });

  it('starts again from 0.5 s after 60 s of healthy running', async () => {
    const host = makeHost(['listen', 'refuse', 'listen']);
    await host.start({});
    last().kill();
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.state).toBe('running');
    await vi.advanceTimersByTimeAsync(60_000);
    last().kill();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes.filter(({ state }) => state === 'restarting').map(({ delayMs }) => delayMs)).toEqual([500, 1000, 500]);
  });

  it('keeps doubling when a crash comes before 60 s of running', async () => {
    const host = makeHost([]);
    await host.start({});
    last().kill();
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(59_000);
    last().kill();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes.filter(({ state }) => state === 'restarting').map(({ delayMs }) => delayMs)).toEqual([500, 1000]);
  });

  it('gives up after maxAttempts failed restarts and says so', async () => {
    const host = makeHost(['listen', 'refuse', 'refuse', 'refuse'], { maxAttempts: 2 });
    await host.start({});
    last().kill();
    for (let i = 0; i < 5; i++) await vi.runOnlyPendingTimersAsync();
    expect(children).toHaveLength(3);
    expect(host.state).toBe('stopped');
    expect(changes.at(-1)).toEqual({ state: 'stopped', reason: 'gave up after 2 restart attempts', restarts: 0 });
  });

  it('kills and retries a relaunch that does not answer start in time', async () => {
    const host = makeHost(['listen', 'silent'], { startTimeoutMs: 1000 });
    await host.start({});
    last().kill();
    await vi.advanceTimersByTimeAsync(500 + 1000);
    expect(changes.filter(({ state }) => state === 'crashed').map(({ reason }) => reason)).toEqual(['killed by SIGKILL', 'no answer to start within 1000 ms']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.state).toBe('running');
    expect(children).toHaveLength(3);
  });

  it('rejects an answer of the wrong shape with HOST_MESSAGE_INVALID', async () => {
    const host = makeHost(['garbage']);
    await expect(host.start({})).rejects.toMatchObject({ code: 'HOST_MESSAGE_INVALID' });
    expect(host.state).toBe('stopped');
  });

  it('refuses options the process would refuse, before spawning anything', async () => {
    const host = makeHost([]);
    await expect(host.start({ rtmpPort: -1 })).rejects.toMatchObject({ code: 'HOST_MESSAGE_INVALID', message: 'rtmpPort must be 0-65535 or null' });
    expect(children).toHaveLength(0);
  });

  it('refuses a second start while running with HOST_STATE', async () => {
    const host = makeHost([]);
    await host.start({});
    await expect(host.start({})).rejects.toMatchObject({ code: 'HOST_STATE' });
  });

  it('stop() during a restart delay cancels the restart', async () => {
    const host = makeHost([]);
    await host.start({});
    last().kill();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.state).toBe('restarting');
    await host.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(children).toHaveLength(1);
    expect(host.state).toBe('stopped');
  });

  it('kills a process that does not stop by stopTimeoutMs', async () => {
    const host = makeHost(['listen'], { stopTimeoutMs: 2000 });
    await host.start({});
    const child = last();
    vi.spyOn(child, 'send').mockImplementation(() => {});
    const kill = vi.spyOn(child, 'kill');
    const stopping = host.stop();
    await vi.advanceTimersByTimeAsync(4000);
    await stopping;
    expect(kill).toHaveBeenCalledOnce();
  });

  it('may be started again after stop()', async () => {
    const host = makeHost([]);
    await host.start({});
    await host.stop();
    await host.start({});
    expect(host.state).toBe('running');
    expect(host.restarts).toBe(0);
    expect(children).toHaveLength(2);
  });

  it('names a fatal error the process reported as the reason of its crash', async () => {
    const host = makeHost([]);
    await host.start({});
    last().reply({ kind: 'event', event: 'fatal', error: { code: 'HOST_FATAL', message: 'out of memory' } });
    last().exit(1, null);
    await vi.advanceTimersByTimeAsync(0);
    expect(changes.find(({ state }) => state === 'crashed')?.reason).toBe('HOST_FATAL: out of memory');
  });

  it('times out a request the process never answers with HOST_TIMEOUT', async () => {
    const host = makeHost([], { requestTimeoutMs: 300 });
    await host.start({});
    vi.spyOn(last(), 'send').mockImplementation(() => {});
    const stats = host.stats();
    const expectation = expect(stats).rejects.toMatchObject({ code: 'HOST_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(300);
    await expectation;
  });

  it('sends a security update to the running process, and starts every restarted one with it', async () => {
    const host = makeHost([]);
    await host.start({ security: defaultSecurityDocument() });
    await host.updateSecurity(OPEN);
    expect(last().sent.at(-1)).toMatchObject({ method: 'security', document: OPEN });
    last().kill();
    await vi.runOnlyPendingTimersAsync();
    expect(host.state).toBe('running');
    expect(last().sent[0]).toMatchObject({ method: 'start', options: { security: OPEN } });
    expect(methodsSent(last())).toEqual(['start']);
  });

  it('hands an update made while the process starts to it before it counts as running', async () => {
    const host = makeHost(['silent']);
    const starting = host.start({ security: defaultSecurityDocument(), certificate: PEM });
    await vi.advanceTimersByTimeAsync(0);
    await host.updateSecurity(OPEN);
    await host.updateCertificate(PEM2);
    const child = last();
    const running = vi.fn();
    host.on('ready', running);
    child.reply({ kind: 'reply', id: 1, ok: true, result: ADDRESSES });
    await vi.advanceTimersByTimeAsync(0);
    expect(running).not.toHaveBeenCalled();
    // One at a time: the certificate waits for the security update's answer.
    const [security, certificate] = child.sent.slice(1) as Array<{ id: number; method: string }>;
    expect(security).toMatchObject({ method: 'security', document: OPEN });
    expect(certificate).toBeUndefined();
    child.reply({ kind: 'reply', id: security.id, ok: true, result: null });
    await vi.advanceTimersByTimeAsync(0);
    const next = child.sent[2] as { id: number };
    expect(next).toMatchObject({ method: 'certificate', certificate: PEM2 });
    child.reply({ kind: 'reply', id: next.id, ok: true, result: null });
    await starting;
    expect(running).toHaveBeenCalledOnce();
    expect(host.state).toBe('running');
  });

  it('keeps an update made during a restart delay for the new process', async () => {
    const host = makeHost([]);
    await host.start({ security: defaultSecurityDocument() });
    last().kill();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.state).toBe('restarting');
    await host.updateSecurity(OPEN);
    await vi.runOnlyPendingTimersAsync();
    expect(last().sent[0]).toMatchObject({ method: 'start', options: { security: OPEN } });
  });

  it('refuses updates to a stopped host, an invalid document, and a certificate for a server without TLS', async () => {
    const host = makeHost([]);
    await expect(host.updateSecurity(OPEN)).rejects.toMatchObject({ code: 'HOST_NOT_RUNNING' });
    await host.start({});
    await expect(host.updateSecurity({ ...OPEN, tokenWindowSeconds: -1 })).rejects.toMatchObject({
      code: 'HOST_MESSAGE_INVALID',
      message: 'security: tokenWindowSeconds must be a positive whole number of seconds',
    });
    await expect(host.updateCertificate(PEM)).rejects.toMatchObject({ code: 'HOST_STATE' });
    expect(methodsSent(last())).toEqual(['start']);
  });

  it('refuses a certificate whose key is not its own without keeping it, so a restart still starts with the last good one', async () => {
    const host = makeHost([]);
    await host.start({ rtmpsPort: 0, certificate: PEM });
    await expect(host.updateCertificate({ certPem: PEM.certPem, keyPem: PEM2.keyPem })).rejects.toMatchObject({
      code: 'HOST_MESSAGE_INVALID',
      message: 'the key does not belong to the certificate',
    });
    expect(methodsSent(last())).toEqual(['start']);
    last().kill();
    await vi.runOnlyPendingTimersAsync();
    expect(last().sent[0]).toMatchObject({ method: 'start', options: { certificate: PEM } });
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { utilityParentChannel, type UtilityParentPort } from '../../../../src/server/host/utility-channel';

/** Electron's parentPort as the channel sees it: message events carry {data, ports}. */
class FakePort implements UtilityParentPort {
  readonly posted: unknown[] = [];
  private listener: (event: { data: unknown }) => void = () => {};
  on(_event: 'message', listener: (event: { data: unknown }) => void): void {
    this.listener = listener;
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  deliver(data: unknown): void {
    this.listener({ data });
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('utilityParentChannel', () => {
  it('hands the data of each message event to the listener and posts what it sends', () => {
    const port = new FakePort();
    const channel = utilityParentChannel(port, () => {});
    const received: unknown[] = [];
    channel.onMessage((message) => received.push(message));
    port.deliver({ kind: 'request', id: 1, method: 'stats' });
    channel.send({ kind: 'reply', id: 1, ok: true, result: null });
    expect(received).toEqual([{ kind: 'request', id: 1, method: 'stats' }]);
    expect(port.posted).toEqual([{ kind: 'reply', id: 1, ok: true, result: null }]);
  });

  it('ends the process a moment after close, so the last reply can leave first', () => {
    const exit = vi.fn();
    utilityParentChannel(new FakePort(), exit).close();
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(exit).toHaveBeenCalledWith(0);
  });
});

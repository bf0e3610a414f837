import { describe, expect, it, vi } from 'vitest';
import { ChunkPump, type ChunkPumpOptions } from '../../../../src/renderer/src/features/studio/chunk-pump';
import { deferred } from './fake-airlock';

const chunk = (...bytes: number[]) => new Blob([new Uint8Array(bytes)]);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A pump whose sends wait until the test lets each one through. */
function slowPump(maxBytes = 1024, overrides: Partial<ChunkPumpOptions> = {}) {
  const sends: { sequence: number; bytes: number[]; done: ReturnType<typeof deferred<void>> }[] = [];
  const options: ChunkPumpOptions = {
    maxBytes,
    send: (sequence, bytes) => {
      const done = deferred<void>();
      sends.push({ sequence, bytes: [...bytes], done });
      return done.promise;
    },
    onAccepted: vi.fn(),
    onOverflow: vi.fn(),
    onError: vi.fn(),
    ...overrides,
  };
  return { pump: new ChunkPump(options), sends, options };
}

describe('ChunkPump', () => {
  it('sends one chunk at a time, in order, numbering them from 0', async () => {
    const { pump, sends, options } = slowPump();
    pump.push(chunk(1));
    pump.push(chunk(2, 2));
    pump.push(chunk(3));
    await settle();
    expect(sends.map((send) => send.sequence)).toEqual([0]);
    expect(pump.heldBytes).toBe(4);

    sends[0]!.done.resolve();
    await settle();
    expect(sends.map((send) => [send.sequence, send.bytes])).toEqual([
      [0, [1]],
      [1, [2, 2]],
    ]);
    expect(options.onAccepted).toHaveBeenCalledWith(0);
    expect(pump.heldBytes).toBe(3);

    sends[1]!.done.resolve();
    await settle();
    sends[2]!.done.resolve();
    await pump.drained();
    expect(sends.map((send) => send.sequence)).toEqual([0, 1, 2]);
    expect(pump.heldBytes).toBe(0);
  });

  it('skips empty chunks without using a sequence number', async () => {
    const { pump, sends } = slowPump();
    pump.push(chunk());
    pump.push(chunk(7));
    await settle();
    expect(sends.map((send) => [send.sequence, send.bytes])).toEqual([[0, [7]]]);
  });

  it('closes and reports an overflow when the held bytes would pass the limit, and refuses later chunks', async () => {
    const { pump, sends, options } = slowPump(4);
    expect(pump.push(chunk(1, 1, 1))).toBe(true);
    await settle();
    expect(pump.push(chunk(2, 2))).toBe(false);
    expect(options.onOverflow).toHaveBeenCalledWith(3, 2);
    expect(pump.heldBytes).toBe(0);
    expect(pump.push(chunk(3))).toBe(false);
    sends[0]!.done.resolve();
    await settle();
    expect(sends).toHaveLength(1);
    expect(options.onAccepted).not.toHaveBeenCalled();
  });

  it('closes and reports the error when a send fails, dropping what waited', async () => {
    const { pump, sends, options } = slowPump();
    pump.push(chunk(1));
    pump.push(chunk(2));
    await settle();
    sends[0]!.done.reject(new Error('session ended'));
    await pump.drained();
    expect(options.onError).toHaveBeenCalledWith(new Error('session ended'));
    expect(pump.push(chunk(3))).toBe(false);
    expect(sends).toHaveLength(1);
  });

  it('drained() waits for the chunk in flight and resolves at once when idle or closed', async () => {
    const { pump, sends } = slowPump();
    await pump.drained();
    pump.push(chunk(1));
    let drained = false;
    void pump.drained().then(() => (drained = true));
    await settle();
    expect(drained).toBe(false);
    sends[0]!.done.resolve();
    await settle();
    expect(drained).toBe(true);
    pump.close();
    await pump.drained();
  });
});

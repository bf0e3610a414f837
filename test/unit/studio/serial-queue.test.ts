import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../src/studio/serial-queue';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('SerialQueue', () => {
  it('starts each piece of work only after the one before it has settled', async () => {
    const queue = new SerialQueue();
    const order: string[] = [];
    const first = deferred();
    const a = queue.run(async () => {
      order.push('a start');
      await first.promise;
      order.push('a end');
    });
    const b = queue.run(async () => void order.push('b'));
    await Promise.resolve();
    expect(order).toEqual(['a start']);
    first.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('gives a failure to its own caller and still runs the next', async () => {
    const queue = new SerialQueue();
    const failing = queue.run(async () => Promise.reject(new Error('port in use')));
    const next = queue.run(async () => 'ran');
    await expect(failing).rejects.toThrow('port in use');
    await expect(next).resolves.toBe('ran');
  });

  it('is idle once everything queued so far has settled, failures included', async () => {
    const queue = new SerialQueue();
    const gate = deferred();
    let done = false;
    void queue.run(() => gate.promise.then(() => Promise.reject(new Error('x')))).catch(() => (done = true));
    const idle = queue.idle();
    gate.resolve();
    await idle;
    expect(done).toBe(true);
  });
});

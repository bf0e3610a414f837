import { describe, expect, it } from 'vitest';
import { StreamRegistry } from '../../../../src/server/hub/stream-registry';
import { FakeReader, NamingFormat, named } from './fakes';

const alice = { id: 1, protocol: 'rtmp' as const, remoteAddress: '10.0.0.1' };
const bob = { id: 2, protocol: 'rtmps' as const, remoteAddress: '10.0.0.2' };

describe('StreamRegistry', () => {
  it('knows no stream until one is opened or claimed', () => {
    const registry = new StreamRegistry();
    expect(registry.get('live', 'cam')).toBeUndefined();
    expect(registry.list()).toEqual([]);
  });

  it('opens one idle stream per app and name, the same object every time', () => {
    const registry = new StreamRegistry();
    const stream = registry.open('live', 'cam');
    expect(stream.isLive).toBe(false);
    expect(stream.path).toBe('live/cam');
    expect(registry.open('live', 'cam')).toBe(stream);
    expect(registry.get('live', 'cam')).toBe(stream);
    expect(registry.open('live', 'other')).not.toBe(stream);
    expect(registry.open('vod', 'cam')).not.toBe(stream);
    expect(registry.list()).toHaveLength(3);
  });

  it('lets a publisher claim a free stream and makes it live', () => {
    const registry = new StreamRegistry();
    const stream = registry.claim('live', 'cam', alice);
    expect(stream?.publisher).toEqual(alice);
    expect(registry.get('live', 'cam')).toBe(stream);
  });

  it('claims the stream readers already wait on', () => {
    const registry = new StreamRegistry();
    const waiting = registry.open('live', 'cam');
    const reader = new FakeReader(new NamingFormat());
    waiting.addReader(reader);
    expect(registry.claim('live', 'cam', alice)).toBe(waiting);
    expect(reader.events).toEqual(['started live/cam']);
  });

  it('returns null to a second publisher of a busy stream and leaves the first in place', () => {
    const registry = new StreamRegistry();
    const stream = registry.claim('live', 'cam', alice)!;
    expect(registry.claim('live', 'cam', bob)).toBeNull();
    expect(stream.publisher).toEqual(alice);
  });

  it('lets a new publisher claim the stream once the previous one stopped', () => {
    const registry = new StreamRegistry();
    const stream = registry.claim('live', 'cam', alice)!;
    stream.stopPublishing();
    expect(registry.claim('live', 'cam', bob)).toBe(stream);
    expect(stream.publisher).toEqual(bob);
  });

  it('forgets a stream with neither publisher nor readers on release', () => {
    const registry = new StreamRegistry();
    const stream = registry.claim('live', 'cam', alice)!;
    stream.stopPublishing();
    registry.release(stream);
    expect(registry.get('live', 'cam')).toBeUndefined();
    expect(registry.open('live', 'cam')).not.toBe(stream);
  });

  it('keeps a stream that still has a publisher', () => {
    const registry = new StreamRegistry();
    const stream = registry.claim('live', 'cam', alice)!;
    registry.release(stream);
    expect(registry.get('live', 'cam')).toBe(stream);
  });

  it('keeps an idle stream that readers wait on, and forgets it when the last leaves', () => {
    const registry = new StreamRegistry();
    const stream = registry.open('live', 'cam');
    const reader = new FakeReader(new NamingFormat());
    stream.addReader(reader);
    registry.release(stream);
    expect(registry.get('live', 'cam')).toBe(stream);
    stream.removeReader(reader);
    registry.release(stream);
    expect(registry.get('live', 'cam')).toBeUndefined();
  });

  it('does not let a stale stream object release its successor of the same name', () => {
    const registry = new StreamRegistry();
    const old = registry.open('live', 'cam');
    registry.release(old);
    const current = registry.open('live', 'cam');
    registry.release(old);
    expect(registry.get('live', 'cam')).toBe(current);
  });

  it('keeps two registries independent: two servers in one process', () => {
    const one = new StreamRegistry();
    const two = new StreamRegistry();
    const mine = one.claim('live', 'cam', alice)!;
    expect(two.get('live', 'cam')).toBeUndefined();
    const theirs = two.claim('live', 'cam', bob);
    expect(theirs).not.toBeNull();
    expect(theirs).not.toBe(mine);
    expect(mine.publisher).toEqual(alice);
    mine.stopPublishing();
    one.release(mine);
    expect(one.list()).toEqual([]);
    expect(two.list()).toEqual([theirs]);
  });

  it('hands its LiveStream options (maxGopBytes) to the streams it creates', () => {
    const joinerWrites = (registry: StreamRegistry) => {
      const stream = registry.claim('live', 'cam', alice)!;
      const keyframe = Buffer.alloc(11);
      keyframe.set([0x17, 0x01]); // FLV §E.4.3.1: key frame, AVC NALU
      stream.pushVideo(0, named('k1', keyframe));
      const reader = new FakeReader(new NamingFormat());
      stream.addReader(reader);
      return reader.sink.written;
    };
    expect(joinerWrites(new StreamRegistry())).toEqual(['k1@0']);
    expect(joinerWrites(new StreamRegistry({ maxGopBytes: 10 }))).toEqual([]);
  });
});

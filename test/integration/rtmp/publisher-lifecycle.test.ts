import { describe, expect, it } from 'vitest';
import type { RtmpClient } from '../../../src/server/session/rtmp-client';
import { gops, h264AacHeaders, isMonotonic, playedH264AacHeaders, type Packet } from '../../support/media';
import { peerName, useRtmpHarness, type Inbox, type Publisher } from '../../support/rtmp-harness';
import { within } from '../../support/wait';

const h = useRtmpHarness();

const command = (client: RtmpClient, name: string, args: Array<string | number>) =>
  client.send({ type: 'command', name, transactionId: 0, commandObject: null, args });

/** What a player saw, in order: its onStatus codes and a '·' for each media message. */
const timeline = (inbox: Inbox): string[] =>
  inbox.messages.flatMap(({ message, raw }) => {
    if (message.type === 'command' && message.name === 'onStatus') return [String((message.args[0] as { code?: unknown }).code)];
    return inbox.media.some((media) => media.raw === raw) ? ['·'] : [];
  });

/** `count` media dots, for timeline assertions. */
const dots = (count: number): string[] => Array<string>(count).fill('·');

const leaveBy: Record<string, (publisher: Publisher) => void> = {
  'closing its connection': ({ client }) => client.close(),
  'deleteStream': ({ client, streamId }) => command(client, 'deleteStream', [streamId]),
  'FCUnpublish': ({ client }) => command(client, 'FCUnpublish', ['cam']),
};

describe('a publisher that leaves and comes back', { timeout: 15_000 }, () => {
  it.each(Object.keys(leaveBy))('tells players UnpublishNotify then PublishNotify, and keeps their timestamps going forwards when the new publisher restarts at 0 (leaving by %s)', async (how) => {
    const { url } = await h.startServer();
    const player = await h.player(url(), 'cam');
    const first = await h.publisher(url(), 'cam');
    await player.inbox.untilStatus('NetStream.Play.PublishNotify');
    const before = [...h264AacHeaders(), ...gops({ gops: 2 })];
    first.send(before);
    await player.inbox.untilMedia(before.length);

    leaveBy[how](first);
    await player.inbox.untilStatus('NetStream.Play.UnpublishNotify');
    const second = await h.publisher(url(), 'cam');
    const again = [...h264AacHeaders(), ...gops({ gops: 2 })]; // the new publisher's clock starts at 0 again
    second.send(again);
    const received = await player.inbox.untilMedia(before.length + again.length);

    expect(timeline(player.inbox)).toEqual([
      'NetStream.Play.Reset',
      'NetStream.Play.Start',
      'NetStream.Play.PublishNotify',
      ...dots(before.length),
      'NetStream.Play.UnpublishNotify',
      'NetStream.Play.PublishNotify',
      ...dots(again.length),
    ]);
    expect(isMonotonic(received)).toBe(true);
    expect(received.slice(0, before.length)).toEqual([...playedH264AacHeaders(), ...before.slice(3)]);
    // The second publisher's media arrives byte for byte, shifted by one offset that puts it after the first's.
    const resumed = received.slice(before.length);
    const offset = resumed[0].timestamp;
    expect(offset).toBeGreaterThan(before[before.length - 1].timestamp);
    expect(resumed).toEqual([...playedH264AacHeaders(), ...again.slice(3)].map((packet): Packet => ({ ...packet, timestamp: packet.timestamp + offset })));
  });

  it('refuses a second publisher of a busy stream with NetStream.Publish.BadName and closes it, while the first goes on and players notice nothing', async () => {
    const { url, log, server } = await h.startServer();
    const player = await h.player(url(), 'cam');
    const first = await h.publisher(url(), 'cam');
    const before = [...h264AacHeaders(), ...gops({ gops: 1 })];
    first.send(before);
    await player.inbox.untilMedia(before.length);

    const intruder = await h.connect(url());
    const intruderPeer = peerName(intruder.client.socket);
    const streamId = await intruder.client.createStream();
    await expect(intruder.client.publish(streamId, 'cam')).rejects.toMatchObject({ code: 'NetStream.Publish.BadName' });
    await within(intruder.client.closed, 'the server closing the refused publisher');
    expect(log.find('rtmp.reject', { action: 'publish', stream: 'cam', peer: intruderPeer })).toHaveLength(1);

    const after = gops({ gops: 2, start: 200 });
    first.send(after);
    expect(await player.inbox.untilMedia(before.length + after.length)).toEqual([...playedH264AacHeaders(), ...before.slice(3), ...after]);
    expect(player.inbox.statuses).toEqual(['NetStream.Play.Reset', 'NetStream.Play.Start', 'NetStream.Play.PublishNotify']);
    expect(server.stats().streams).toMatchObject([{ name: 'cam', publisher: { remoteAddress: '127.0.0.1' }, players: { rtmp: 1 } }]);
    expect(log.find('rtmp.unpublish')).toEqual([]);
  });
});

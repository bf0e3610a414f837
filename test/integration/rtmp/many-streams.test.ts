import { describe, expect, it } from 'vitest';
import { fingerprints, gops, h264AacHeaders, playedH264AacHeaders, type Packet } from '../../support/media';
import { useRtmpHarness } from '../../support/rtmp-harness';

const h = useRtmpHarness();

const played = (sent: Packet[]): string[] => fingerprints([...playedH264AacHeaders(), ...sent.slice(3)]);

describe('many streams at once', { timeout: 15_000 }, () => {
  it('keeps 3 apps × 3 streams (the same three names in every app) apart: each player gets its own stream, all of it, and nothing else', async () => {
    const { url, server } = await h.startServer();
    const paths = ['a0', 'a1', 'a2'].flatMap((app) => ['s0', 's1', 's2'].map((name) => ({ app, name })));
    const publishers = await Promise.all(paths.map(({ app, name }) => h.publisher(url(app), name)));
    const players = await Promise.all(paths.map(({ app, name }) => h.player(url(app), name)));
    // Every stream gets its own frames (serial numbers make them unique) and its own GOP count.
    const sent = paths.map((_, i) => [...h264AacHeaders(), ...gops({ gops: 1 + (i % 3) })]);
    publishers.forEach((publisher, i) => publisher.send(sent[i]));

    for (const [i, player] of players.entries()) {
      expect(fingerprints(await player.inbox.untilMedia(sent[i].length))).toEqual(played(sent[i]));
    }
    const second = [...paths.keys()].map((i) => gops({ gops: 1, start: 1000 + i }));
    publishers.forEach((publisher, i) => publisher.send(second[i]));
    for (const [i, player] of players.entries()) {
      expect(fingerprints(await player.inbox.untilMedia(sent[i].length + second[i].length))).toEqual(played([...sent[i], ...second[i]]));
    }
    expect(players.every((player) => player.inbox.statuses.join() === 'NetStream.Play.Reset,NetStream.Play.Start')).toBe(true);
    const streams = server.stats().streams.map(({ app, name, players: readers, inbound }) => ({ app, name, rtmp: readers.rtmp, packets: inbound.packets }));
    expect(streams.sort((a, b) => `${a.app}/${a.name}`.localeCompare(`${b.app}/${b.name}`))).toEqual(
      paths.map(({ app, name }, i) => ({ app, name, rtmp: 1, packets: sent[i].length + second[i].length })),
    );
  });

  it('keeps two MediaServers in one process apart: each one has its own streams, publishers and players', async () => {
    const one = await h.startServer();
    const two = await h.startServer();
    const playerOne = await h.player(one.url(), 'cam');
    const playerTwo = await h.player(two.url(), 'cam');
    const publisherOne = await h.publisher(one.url(), 'cam');
    const fromOne = [...h264AacHeaders(), ...gops({ gops: 2 })];
    publisherOne.send(fromOne);
    expect(fingerprints(await playerOne.inbox.untilMedia(fromOne.length))).toEqual(played(fromOne));

    expect(two.server.stats().streams).toMatchObject([{ app: 'live', name: 'cam', publisher: null, inbound: { packets: 0 } }]);
    expect(playerTwo.inbox.statuses).toEqual(['NetStream.Play.Reset', 'NetStream.Play.Start']);
    const publisherTwo = await h.publisher(two.url(), 'cam'); // the same name is free on the other server
    const fromTwo = [...h264AacHeaders(), ...gops({ gops: 1 })];
    publisherTwo.send(fromTwo);
    expect(fingerprints(await playerTwo.inbox.untilMedia(fromTwo.length))).toEqual(played(fromTwo));

    expect(playerOne.inbox.media).toHaveLength(fromOne.length);
    expect(playerTwo.inbox.media).toHaveLength(fromTwo.length);
    expect(one.server.stats().connections.rtmp).toBe(2);
    expect(two.server.stats().connections.rtmp).toBe(2);
    expect(one.log.find('rtmp.publish')).toHaveLength(1);
    expect(two.log.find('rtmp.publish')).toHaveLength(1);
  });
});

import { get, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { avc, fingerprints, gops, h264AacHeaders, playedH264AacHeaders } from '../../support/media';
import { peerName, useRtmpHarness } from '../../support/rtmp-harness';
import { timePasses, waitFor, within } from '../../support/wait';

const h = useRtmpHarness();

const KEEP_ALIVE = { idleTimeoutMs: 1500, pingIntervalMs: 500 };

/** Starts an HTTP-FLV play and resolves with the open response; it is destroyed after the test. */
function httpFlvReader(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      h.defer(() => response.destroy());
      resolve(response);
    });
    request.on('error', reject);
  });
}

describe('peers that die or go silent', { timeout: 15_000 }, () => {
  it('frees the stream of a publisher killed mid-stream at once: players hear UnpublishNotify and a new publisher takes the name', async () => {
    const { url, log } = await h.startServer();
    const player = await h.player(url(), 'cam');
    const killed = await h.publisher(url(), 'cam');
    const before = [...h264AacHeaders(), ...gops({ gops: 1 })];
    killed.send(before);
    await player.inbox.untilMedia(before.length);
    const name = peerName(killed.client.socket);

    killed.send(gops({ gops: 1, start: 200, video: (keyframe) => avc.frame(keyframe, 64 * 1024) })); // many chunks in flight
    killed.client.socket.destroy();
    await log.waitFor('rtmp.close', { peer: name }, 2000);
    await player.inbox.untilStatus('NetStream.Play.UnpublishNotify', 2000);

    const next = await h.publisher(url(), 'cam');
    const again = [...h264AacHeaders(), ...gops({ gops: 1 })];
    next.send(again);
    await player.inbox.until(() => (player.inbox.statuses.filter((code) => code === 'NetStream.Play.PublishNotify').length === 2 || undefined), 'a second PublishNotify');
    const last = again[again.length - 1].payload;
    await player.inbox.until(() => player.inbox.media.at(-1)?.raw.payload.equals(last) || undefined, "the new publisher's last frame");
    expect(fingerprints(player.inbox.packets.slice(0, before.length))).toEqual(fingerprints([...playedH264AacHeaders(), ...before.slice(3)]));
  });

  it('drops a frozen publisher (connected, published, then silent: no ping answers) within idleTimeoutMs, so its stream name can be published again', async () => {
    const { url, log } = await h.startServer({ limits: KEEP_ALIVE });
    const player = await h.player(url(), 'cam');
    const frozen = await h.publisher(url(), 'cam');
    const before = [...h264AacHeaders(), ...gops({ gops: 1 })];
    frozen.send(before);
    await player.inbox.untilMedia(before.length);
    const name = peerName(frozen.client.socket);

    frozen.client.socket.pause(); // alive but deaf: it reads nothing, so it answers no ping
    const frozeAt = performance.now();
    const contender = await h.connect(url());
    const streamId = await contender.client.createStream();
    await expect(contender.client.publish(streamId, 'cam')).rejects.toMatchObject({ code: 'NetStream.Publish.BadName' }); // still taken

    const closed = await log.waitFor('rtmp.close', { peer: name }, KEEP_ALIVE.idleTimeoutMs + KEEP_ALIVE.pingIntervalMs + 3000);
    expect(closed.fields.code).toBe('TIMEOUT_IDLE');
    expect(performance.now() - frozeAt).toBeGreaterThan(KEEP_ALIVE.idleTimeoutMs - 500); // not dropped at the first unanswered ping
    await player.inbox.untilStatus('NetStream.Play.UnpublishNotify');
    const next = await h.publisher(url(), 'cam');
    next.send(h264AacHeaders());
    await player.inbox.untilMedia(before.length + 3);
    expect(player.inbox.statuses.slice(-2)).toEqual(['NetStream.Play.UnpublishNotify', 'NetStream.Play.PublishNotify']);
  });

  it.each([
    { what: 'only C0', bytes: Buffer.from([3]) },
    { what: 'C0 and C1 but no C2', bytes: Buffer.concat([Buffer.from([3]), Buffer.alloc(1536)]) },
  ])('closes a client that sends $what when handshakeTimeoutMs runs out', async ({ bytes }) => {
    const handshakeTimeoutMs = 300;
    const { log, rtmpPort } = await h.startServer({ limits: { handshakeTimeoutMs } });
    const peer = await h.rawPeer(rtmpPort, false);
    const name = peer.name;
    peer.write(bytes);
    const sentAt = performance.now();
    await within(peer.closed, 'the handshake timeout closing the peer');
    expect(performance.now() - sentAt).toBeGreaterThan(handshakeTimeoutMs - 100);
    expect(log.find('rtmp.close', { peer: name })).toMatchObject([{ level: 'warn', fields: { code: 'TIMEOUT_HANDSHAKE' } }]);
  });

  it('keeps a healthy but quiet player (it answers pings, nothing is published) over several idle periods, while a frozen one is dropped', async () => {
    const { url, log } = await h.startServer({ limits: KEEP_ALIVE });
    const quiet = await h.player(url(), 'nothing-yet');
    const frozen = await h.player(url(), 'nothing-yet');
    const frozenName = peerName(frozen.client.socket);
    frozen.client.socket.pause();
    const startedAt = performance.now();

    await log.waitFor('rtmp.close', { peer: frozenName, code: 'TIMEOUT_IDLE' }, KEEP_ALIVE.idleTimeoutMs + KEEP_ALIVE.pingIntervalMs + 3000);
    await timePasses(3 * KEEP_ALIVE.idleTimeoutMs - (performance.now() - startedAt));

    expect(log.find('rtmp.close', { peer: peerName(quiet.client.socket) })).toEqual([]);
    await quiet.inbox.roundTrip((message) => quiet.client.send(message));
    const publisher = await h.publisher(url(), 'nothing-yet');
    const media = [...h264AacHeaders(), ...gops({ gops: 1 })];
    publisher.send(media);
    expect(fingerprints(await quiet.inbox.untilMedia(media.length))).toEqual(fingerprints([...playedH264AacHeaders(), ...media.slice(3)]));
  });

  it('refuses a connection above maxConnections (logged as TOO_MANY_CONNECTIONS) and accepts one again when a slot frees', async () => {
    const { url, log, rtmpPort, server } = await h.startServer({ maxConnections: 2 });
    const first = await h.connect(url());
    const second = await h.connect(url());
    const extra = await h.rawPeer(rtmpPort, false);
    const name = extra.name;
    await within(extra.closed, 'the server refusing the extra connection');
    expect(log.find('rtmp.refuse', { peer: name })).toMatchObject([{ level: 'warn', fields: { code: 'TOO_MANY_CONNECTIONS' } }]);
    expect(await first.client.createStream()).toBe(1);
    expect(await second.client.createStream()).toBe(1);

    second.client.close();
    await waitFor(() => server.stats().connections.rtmp === 1, 'the server forgetting the closed connection');
    const third = await h.connect(url());
    expect(await third.client.createStream()).toBe(1);
    expect(log.find('rtmp.refuse')).toHaveLength(1);
  });

  it('counts HTTP-FLV readers and RTMP connections together against maxConnections, as the option documents', async () => {
    const { url, log, httpPort } = await h.startServer({ maxConnections: 2 });
    const publisher = await h.publisher(url(), 'cam');
    publisher.send(h264AacHeaders());
    const reader = await httpFlvReader(`http://127.0.0.1:${httpPort}/live/cam.flv`);
    expect(reader.statusCode).toBe(200);

    const third = await h.connect(url()).then(
      () => 'accepted',
      () => 'refused',
    );
    expect(third, 'a third connection, with one RTMP publisher and one HTTP-FLV reader already in').toBe('refused');
    expect(log.find('rtmp.refuse')).toMatchObject([{ fields: { code: 'TOO_MANY_CONNECTIONS' } }]);
  });
});

import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Action, AuthorizationRequest, Authorizer, Decision } from '../../../src/server/session/authorization';
import { h264AacHeaders } from '../../support/media';
import { useRtmpHarness, type RawPeer } from '../../support/rtmp-harness';
import { Watch, within } from '../../support/wait';

const h = useRtmpHarness();

const ACTIONS: Action[] = ['connect', 'publish', 'play'];
const AUTHORIZATION_TIMEOUT_MS = 300;

/** Brings a raw peer to where `action` is its next request: connected, with a message stream, for publish and play. */
async function peerBefore(action: Action, port: number): Promise<{ peer: RawPeer; streamId: number }> {
  const peer = await h.rawPeer(port);
  if (action === 'connect') return { peer, streamId: 0 };
  peer.connect('live', 1);
  await peer.inbox.until(() => peer.inbox.commands('_result').find((reply) => reply.transactionId === 1), 'the connect _result');
  peer.command('createStream', 2, null);
  const created = await peer.inbox.until(() => peer.inbox.commands('_result').find((reply) => reply.transactionId === 2), 'the createStream _result');
  return { peer, streamId: created.args[0] as number };
}

const ASK: Record<Action, (peer: RawPeer, streamId: number) => void> = {
  connect: (peer) => peer.connect('live', 1),
  publish: (peer, streamId) => peer.command('publish', 0, null, ['cam', 'live'], streamId),
  play: (peer, streamId) => peer.command('play', 0, null, ['cam', -2], streamId),
};

/** What the server answered: `_result`, `_error` and onStatus commands as "name code", from message `since` on. */
const answers = (peer: RawPeer, since: number): string[] =>
  peer.inbox.messages.slice(since).flatMap(({ message }) => {
    if (message.type !== 'command' || !['_result', '_error', 'onStatus'].includes(message.name)) return [];
    return [`${message.name} ${String((message.args[0] as { code?: unknown } | null)?.code)}`];
  });

const ANSWERS: Record<Action, { allowed: string[]; denied: string[] }> = {
  connect: { allowed: ['_result NetConnection.Connect.Success'], denied: ['_error NetConnection.Connect.Rejected'] },
  publish: { allowed: ['onStatus NetStream.Publish.Start'], denied: ['onStatus NetStream.Publish.Unauthorized'] },
  play: { allowed: ['onStatus NetStream.Play.Reset', 'onStatus NetStream.Play.Start'], denied: ['onStatus NetStream.Play.Failed'] },
};

/** Authorizers that say no, each in its own way, and the reason the server logs for it. */
const DENIALS: Array<{ how: string; decide: () => Decision | Promise<Decision>; reason: string }> = [
  { how: 'denies', decide: () => ({ allow: false, reason: 'not on the list' }), reason: 'not on the list' },
  {
    how: 'throws',
    decide: () => {
      throw new Error('policy store unreachable');
    },
    reason: 'authorization failed',
  },
  { how: 'never answers (past authorizationTimeoutMs)', decide: () => new Promise<Decision>(() => {}), reason: 'authorization timed out' },
];

/** Allows everything but `action`, which `decide` settles. */
const gateOn = (action: Action, decide: (request: AuthorizationRequest) => Decision | Promise<Decision>): Authorizer => (request) =>
  request.action === action ? decide(request) : { allow: true };

function httpGet(url: string): Promise<{ status: number | undefined; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      resolve({ status: response.statusCode, contentType: response.headers['content-type'] });
      response.destroy();
    });
    request.on('error', reject);
  });
}

describe('the authorization gate', { timeout: 15_000 }, () => {
  it.each(ACTIONS)('sends nothing that acknowledges %s until a slow authorizer has decided, then the success answer', async (action) => {
    const asked = new Watch();
    let release: ((decision: Decision) => void) | undefined;
    const authorize = gateOn(action, () => new Promise<Decision>((resolve) => ((release = resolve), asked.notify())));
    const { rtmpPort } = await h.startServer({ authorize });
    const { peer, streamId } = await peerBefore(action, rtmpPort);
    const since = peer.inbox.messages.length;
    ASK[action](peer, streamId);
    const decide = await asked.until(() => release, `the authorizer to be asked about ${action}`);

    // The server answers a ping behind whatever it queued before: after this, anything it sent early is here.
    await peer.inbox.roundTrip((message) => peer.sendMessage(message));
    expect(peer.inbox.messages.slice(since).map(({ message }) => (message.type === 'userControl' ? message.event : message.type))).toEqual(['pingResponse']);

    decide({ allow: true });
    const expected = ANSWERS[action].allowed;
    await peer.inbox.until(() => (answers(peer, since).length >= expected.length ? true : undefined), `the answer to ${action}`);
    expect(answers(peer, since)).toEqual(expected);
    expect(peer.closedYet).toBe(false);
  });

  it.each(['', '../live', 'a/b', 'live\u0000'])('refuses connect to the app name %j without asking the authorizer', async (app) => {
    const asked: AuthorizationRequest[] = [];
    const { rtmpPort, log } = await h.startServer({ authorize: (request) => (asked.push(request), { allow: true }) });
    const peer = await h.rawPeer(rtmpPort);
    peer.connect(app, 1);
    await peer.closed;
    expect(answers(peer, 0)).toEqual(['_error NetConnection.Connect.Rejected']);
    expect(log.find('rtmp.reject')[0]?.fields).toMatchObject({ action: 'connect', code: 'APP_INVALID' });
    expect(asked).toEqual([]);
  });

  it('answers a client that sends connect, createStream and publish at once in request order, each only after its decision', async () => {
    const asked = new Watch();
    const pending: Array<{ action: Action; decide: (decision: Decision) => void }> = [];
    const authorize: Authorizer = (request) => new Promise<Decision>((resolve) => (pending.push({ action: request.action, decide: resolve }), asked.notify()));
    const { rtmpPort } = await h.startServer({ authorize });
    const peer = await h.rawPeer(rtmpPort);
    peer.connect('live', 1);
    peer.command('createStream', 2, null);
    peer.command('publish', 0, null, ['cam', 'live'], 1);
    const decision = async (action: Action) => {
      const next = await asked.until(() => pending.shift(), `the authorizer to be asked about ${action}`);
      expect(next.action).toBe(action);
      await peer.inbox.roundTrip((message) => peer.sendMessage(message));
      return next.decide;
    };
    const replies = () => peer.inbox.messages.flatMap(({ message }) => (message.type === 'command' ? [`${message.name} ${message.transactionId}`] : []));

    const allowConnect = await decision('connect');
    expect(replies()).toEqual([]);
    allowConnect({ allow: true });
    const allowPublish = await decision('publish'); // asked only once createStream was answered
    expect(replies()).toEqual(['_result 1', '_result 2']);
    allowPublish({ allow: true });
    await peer.inbox.untilStatus('NetStream.Publish.Start');
    expect(replies()).toEqual(['_result 1', '_result 2', 'onStatus 0']);
    expect(pending).toEqual([]);
  });

  describe.each(DENIALS)('when the authorizer $how', ({ decide, reason }) => {
    it.each(ACTIONS)('refuses %s with its error status, then closes the connection', async (action) => {
      const { rtmpPort, log } = await h.startServer({ authorize: gateOn(action, decide), authorizationTimeoutMs: AUTHORIZATION_TIMEOUT_MS });
      const { peer, streamId } = await peerBefore(action, rtmpPort);
      const name = peer.name;
      const since = peer.inbox.messages.length;
      const askedAt = performance.now();
      ASK[action](peer, streamId);
      await within(peer.closed, 'the server closing the refused connection');

      expect(answers(peer, since)).toEqual(ANSWERS[action].denied);
      expect(peer.inbox.messages.slice(since).some(({ message }) => message.type === 'userControl' && message.event === 'streamBegin')).toBe(false);
      expect(log.find('rtmp.reject', { peer: name, action })).toMatchObject([{ fields: { reason } }]);
      if (reason === 'authorization timed out') expect(performance.now() - askedAt).toBeGreaterThan(AUTHORIZATION_TIMEOUT_MS - 50);
    });

    it('answers an HTTP-FLV play with 403', async () => {
      const plays: AuthorizationRequest[] = [];
      const authorize: Authorizer = (request) => {
        if (request.action !== 'play') return { allow: true };
        plays.push(request);
        return request.query.get('token') === 'letmein' ? { allow: true } : decide();
      };
      const { url, httpPort } = await h.startServer({ authorize, authorizationTimeoutMs: AUTHORIZATION_TIMEOUT_MS });
      const publisher = await h.publisher(url(), 'cam');
      publisher.send(h264AacHeaders());

      expect(await httpGet(`http://127.0.0.1:${httpPort}/live/cam.flv?token=wrong`)).toMatchObject({ status: 403 });
      expect(await httpGet(`http://127.0.0.1:${httpPort}/live/cam.flv?token=letmein`)).toEqual({ status: 200, contentType: 'video/x-flv' });
      expect(plays).toMatchObject([
        { protocol: 'http-flv', app: 'live', stream: 'cam' },
        { protocol: 'http-flv', app: 'live', stream: 'cam' },
      ]);
    });
  });
});

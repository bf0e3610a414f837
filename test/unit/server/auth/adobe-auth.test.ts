import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ADOBE_AUTH_FAILED, ADOBE_NEED_AUTH, AdobeAuth } from '../../../../src/server/auth/adobe-auth';
import { adobeResponse, adobeSaltedDigest } from '../../../../src/server/auth/adobe-hash';
import { UserStore } from '../../../../src/server/auth/user-store';
import { parseName, tcUrlQuery } from '../../../../src/server/session/stream-name';
import { countingHash } from './fakes';

// The formula written out again, independently of src (librtmp rtmp.c PublisherAuth, FFmpeg do_adobe_auth).
const md5b64 = (text: string) => createHash('md5').update(text).digest('base64');
const clientResponse = (user: string, salt: string, password: string, opaque: string, challenge: string) => md5b64(md5b64(user + salt + password) + opaque + challenge);

/** The connect query as the session builds it: the tcUrl's query, then the app's. */
function connectQuery(appWithQuery: string): URLSearchParams {
  const query = tcUrlQuery(`rtmp://127.0.0.1/${appWithQuery}`);
  for (const [key, value] of parseName(appWithQuery, 'app')?.query ?? []) query.append(key, value);
  return query;
}

/** The fields of a `?reason=needauth&…` description, split the way librtmp does: on & and the first =. */
function descriptionFields(description: string): Record<string, string> {
  const at = description.indexOf('?reason=');
  return Object.fromEntries(description.slice(at + 1).split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

async function setup(now = { ms: 1_700_000_000_000 }) {
  const users = new UserStore({}, { hash: countingHash() });
  await users.add('obs', 'hunter2+/=', ['publish'], { adobe: true });
  await users.add('plain', 'secret', ['publish']);
  return { users, adobe: new AdobeAuth({ users, now: () => now.ms, challengeTtlMs: 60_000, maxPendingChallenges: 3 }), now };
}

/** Steps 1 and 2 as a client runs them; returns what the server sent in step 2. */
function challenge(adobe: AdobeAuth, user: string): Record<string, string> {
  const step1 = adobe.connect(connectQuery('live'));
  expect(step1).toEqual({ ok: false, reason: 'TOKEN_MISSING', description: ADOBE_NEED_AUTH });
  const step2 = adobe.connect(connectQuery(`live?authmod=adobe&user=${user}`));
  expect(step2).toMatchObject({ ok: false, reason: 'CHALLENGE_ISSUED' });
  return descriptionFields(step2.ok ? '' : step2.description);
}

describe('AdobeAuth', () => {
  it('runs the three-step exchange of OBS "Use authentication" and accepts the right password', async () => {
    const { adobe } = await setup();
    const server = challenge(adobe, 'obs');
    expect(server).toEqual({ reason: 'needauth', user: 'obs', salt: expect.stringMatching(/^[A-Za-z0-9_-]+$/), challenge: server.opaque, opaque: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    const response = clientResponse('obs', server.salt, 'hunter2+/=', server.opaque, 'Zm9vYg==');
    // librtmp appends the answer raw to app and tcUrl: Base64 with + / = unescaped.
    expect(adobe.connect(connectQuery(`live?authmod=adobe&user=obs&challenge=Zm9vYg==&response=${response}&opaque=${server.opaque}`))).toEqual({ ok: true, user: 'obs', permissions: ['publish'] });
  });

  it('sends the exact FMS descriptions clients look for', async () => {
    const { adobe } = await setup();
    expect(ADOBE_NEED_AUTH).toBe('[ AccessManager.Reject ] : [ code=403 need auth; authmod=adobe ] : ');
    const step2 = adobe.connect(connectQuery('live?authmod=adobe&user=obs'));
    expect(step2.ok ? '' : step2.description).toMatch(/^\[ AccessManager\.Reject \] : \[ authmod=adobe \] : \?reason=needauth&user=obs&salt=[\w-]+&challenge=([\w-]+)&opaque=\1$/);
    expect(ADOBE_AUTH_FAILED).toBe('[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=authfailed');
  });

  it('refuses a wrong password with reason=authfailed', async () => {
    const { adobe } = await setup();
    const server = challenge(adobe, 'obs');
    const response = clientResponse('obs', server.salt, 'wrong', server.opaque, '8c5e0f1a');
    expect(adobe.connect(connectQuery(`live?authmod=adobe&user=obs&challenge=8c5e0f1a&response=${response}&opaque=${server.opaque}`))).toEqual({ ok: false, reason: 'PASSWORD_WRONG', description: ADOBE_AUTH_FAILED });
  });

  it('treats a user without adobe credentials like a stranger, with a stable decoy salt', async () => {
    const { adobe } = await setup();
    const first = challenge(adobe, 'plain');
    const again = challenge(adobe, 'plain');
    expect(again.salt).toBe(first.salt);
    expect(challenge(adobe, 'nobody').salt).not.toBe(first.salt);
    const response = clientResponse('plain', first.salt, 'secret', first.opaque, '8c5e0f1a');
    expect(adobe.connect(connectQuery(`live?authmod=adobe&user=plain&challenge=8c5e0f1a&response=${response}&opaque=${first.opaque}`))).toEqual({ ok: false, reason: 'USER_UNKNOWN', description: ADOBE_AUTH_FAILED });
  });

  it('uses a challenge once: a replayed answer is refused', async () => {
    const { adobe } = await setup();
    const server = challenge(adobe, 'obs');
    const query = connectQuery(`live?authmod=adobe&user=obs&challenge=8c5e0f1a&response=${clientResponse('obs', server.salt, 'hunter2+/=', server.opaque, '8c5e0f1a')}&opaque=${server.opaque}`);
    expect(adobe.connect(query).ok).toBe(true);
    expect(adobe.connect(query)).toMatchObject({ ok: false, reason: 'CHALLENGE_UNKNOWN' });
  });

  it('refuses an answer after the challenge expired, and accepts one just before', async () => {
    const { adobe, now } = await setup();
    const answer = (server: Record<string, string>) =>
      connectQuery(`live?authmod=adobe&user=obs&challenge=8c5e0f1a&response=${clientResponse('obs', server.salt, 'hunter2+/=', server.opaque, '8c5e0f1a')}&opaque=${server.opaque}`);
    const late = challenge(adobe, 'obs');
    now.ms += 60_001;
    expect(adobe.connect(answer(late))).toMatchObject({ ok: false, reason: 'CHALLENGE_UNKNOWN' });
    const inTime = challenge(adobe, 'obs');
    now.ms += 60_000;
    expect(adobe.connect(answer(inTime)).ok).toBe(true);
  });

  it('refuses an answer to a challenge issued for another user, or with a made-up opaque', async () => {
    const { adobe, users } = await setup();
    await users.add('eve', 'evil', ['publish'], { adobe: true });
    const server = challenge(adobe, 'obs');
    const eveSalt = users.adobeCredentials('eve')?.salt ?? '';
    const asEve = clientResponse('eve', eveSalt, 'evil', server.opaque, '8c5e0f1a');
    expect(adobe.connect(connectQuery(`live?authmod=adobe&user=eve&challenge=8c5e0f1a&response=${asEve}&opaque=${server.opaque}`))).toMatchObject({ ok: false, reason: 'CHALLENGE_UNKNOWN' });
    const madeUp = clientResponse('obs', server.salt, 'hunter2+/=', 'made-up', '8c5e0f1a');
    expect(adobe.connect(connectQuery(`live?authmod=adobe&user=obs&challenge=8c5e0f1a&response=${madeUp}&opaque=made-up`))).toMatchObject({ ok: false, reason: 'CHALLENGE_UNKNOWN' });
  });

  it('holds at most maxPendingChallenges, dropping the oldest, and forgets expired ones', async () => {
    const { adobe, now } = await setup();
    const oldest = challenge(adobe, 'obs');
    for (let i = 0; i < 3; i++) challenge(adobe, 'obs');
    expect(adobe.pendingChallenges).toBe(3);
    const response = clientResponse('obs', oldest.salt, 'hunter2+/=', oldest.opaque, '8c5e0f1a');
    expect(adobe.connect(connectQuery(`live?authmod=adobe&user=obs&challenge=8c5e0f1a&response=${response}&opaque=${oldest.opaque}`))).toMatchObject({ reason: 'CHALLENGE_UNKNOWN' });
    now.ms += 60_001;
    expect(adobe.pendingChallenges).toBe(0);
  });

  it('refuses a user name that could not be echoed safely, and oversized values', async () => {
    const { adobe } = await setup();
    expect(adobe.connect(connectQuery('live?authmod=adobe&user=a%26salt%3Dx'))).toEqual({ ok: false, reason: 'TOKEN_MALFORMED', description: ADOBE_AUTH_FAILED });
    const server = challenge(adobe, 'obs');
    expect(adobe.connect(connectQuery(`live?authmod=adobe&user=obs&challenge=${'a'.repeat(257)}&response=x&opaque=${server.opaque}`))).toMatchObject({ reason: 'TOKEN_MALFORMED' });
    expect(adobe.connect(connectQuery(`live?authmod=adobe&user=obs&challenge=&response=x&opaque=${server.opaque}`))).toMatchObject({ reason: 'TOKEN_MALFORMED' });
  });

  it("accepts Debian librtmp's answer, whose challenge and response trail unterminated garbage", async () => {
    const { adobe } = await setup();
    const server = challenge(adobe, 'obs');
    const response = clientResponse('obs', server.salt, 'hunter2+/=', server.opaque, 'rOH4Qw==');
    const garbage = '\uFFFD\uFFFDCR\u0007\uFFFD^';
    const query = connectQuery(`live?authmod=adobe&user=obs&challenge=rOH4Qw==${garbage}${response}${garbage}&response=${response}${garbage}&opaque=${server.opaque}`);
    expect(adobe.connect(query)).toEqual({ ok: true, user: 'obs', permissions: ['publish'] });
  });
});

describe('Adobe response formula against real clients', () => {
  // Captured from the step-3 connects of real clients against this server (user, password, the salt
  // and opaque we sent, their challenge and response), with the server's MediaServer on loopback.
  it.each([
    ['FFmpeg 5.1 (rtmp://user:pw@host/…)', 'ffuser', 'plain+pw=1', 'PaWY_NmX7Dwo_AuH', 'icrkuEH2hzrOCtZh', '0aa8e5c4', '/T+hleuzMb2etoljouP/3A=='],
    ['GStreamer 1.22 rtmp2sink', 'obsuser', 'p@ss+w/rd=1', 'INFXRvZflEOya-9q', '2kFoCjXF3bRm9L6t', 'a5e6ef60', 'A1vfxohG+7xAWq0vyuTexw=='],
    ['librtmp 2.4 (Debian) via GStreamer rtmpsink pubUser/pubPasswd', 'obsuser', 'p@ss+w/rd=1', 'INFXRvZflEOya-9q', 'UvFSD2e1Ekww6on_', 'rOH4Qw==', 'WU50nPHa9K7rR3nyO0sDlQ=='],
  ])('matches %s', (_client, user, password, salt, opaque, challenge, response) => {
    expect(adobeResponse(adobeSaltedDigest(user, salt, password), opaque, challenge)).toBe(response);
  });
});

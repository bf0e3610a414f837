// The security document: settings to JSON and back with nothing lost, and a strict parser that names the bad field.
import { describe, expect, it } from 'vitest';
import { credentialFingerprint } from '../../../../src/server/auth/fingerprint';
import { defaultSecurityDocument, mapSecretFields, parseSecurityDocument, toSecurityDocument } from '../../../../src/server/auth/security-document';
import { countingHash } from './fakes';

const fingerprint = (text: string) => credentialFingerprint(Buffer.from(text));

async function populated() {
  const settings = parseSecurityDocument(defaultSecurityDocument(), { users: { hash: countingHash() } });
  await settings.users.add('alice', 'pw-alice-1', ['publish', 'play'], { adobe: true });
  settings.signingKeys.add({ id: 'k1', activate: true });
  settings.streamKeys.create('live', 'cam');
  settings.policy.apps.open = { publish: 'open', play: 'open' };
  settings.revokedLinks.revoke(fingerprint('sig'), 1_700_000_000);
  settings.tokenBindings.bind({ fingerprint: fingerprint('ptoken'), app: 'live', stream: 'cam', time: 1_700_000_000, expiresAt: 1_700_000_300, revoked: false });
  return settings;
}

describe('the security document', () => {
  it('survives JSON and a second parse unchanged, secrets included', async () => {
    const settings = await populated();
    const document = toSecurityDocument(settings);
    const again = parseSecurityDocument(JSON.parse(JSON.stringify(document)), { users: { hash: countingHash() } });
    expect(toSecurityDocument(again)).toEqual(JSON.parse(JSON.stringify(document)));
    expect(again.signingKeys.active()?.secret).toEqual(settings.signingKeys.active()?.secret);
    expect(again.tokenBindings.refusal(fingerprint('ptoken'), { app: 'live', stream: 'other', nowSeconds: 1_700_000_100 })).toEqual({ ok: false, reason: 'PATH_MISMATCH' });
    expect(again.revokedLinks.has(fingerprint('sig'))).toBe(true);
  });

  it('is a copy: changing the settings later does not change a document already made', async () => {
    const settings = await populated();
    const document = toSecurityDocument(settings);
    settings.policy.default.play = 'open';
    settings.tokenBindings.revoke(fingerprint('ptoken'));
    expect(document.policy.default.play).toBe('token');
    expect(document.tokenBindings[0].revoked).toBe(false);
  });

  const withField = (name: string, value: unknown) => ({ ...defaultSecurityDocument(), [name]: value });
  it.each([
    ['not an object', [], /must be a JSON object/],
    ['an unknown field', withField('extra', 1), /unknown field "extra"/],
    ['a missing field', { ...defaultSecurityDocument(), tokenBindings: undefined }, /missing field "tokenBindings"/],
    ['users as a list', withField('users', []), /users must be an object/],
    ['a user without a key', withField('users', { bob: { salt: 'c2FsdHNhbHQ=', permissions: [] } }), /user "bob": key/],
    ['a bad policy word', withField('policy', { default: { publish: 'maybe', play: 'open' }, apps: {} }), /policy.default.publish must be "token" or "open"/],
    ['a zero window', withField('tokenWindowSeconds', 0), /tokenWindowSeconds must be a positive/],
    ['a signing key with a short secret', withField('signingKeys', [{ id: 'k1', secret: 'c2hvcnQ=', createdAt: 1, state: 'active' }]), /key k1: secret/],
    ['a revoked link without a fingerprint', withField('revokedLinks', [{ exp: 1 }]), /revokedLinks\[0\].fingerprint/],
    ['a binding without its stream', withField('tokenBindings', [{ fingerprint: fingerprint('x'), app: 'live', time: 1, expiresAt: 2, revoked: false }]), /tokenBindings\[0\].app and stream/],
  ])('refuses %s, naming the field', (_what, value, message) => {
    expect(() => parseSecurityDocument(value)).toThrow(message);
  });

  it('maps exactly the secret fields, each named by its place', async () => {
    const places: string[] = [];
    const sealed = mapSecretFields({ ...toSecurityDocument(await populated()) }, (place) => {
      places.push(place);
      return `sealed(${place})`;
    });
    expect(places.sort()).toEqual(['signingKeys.k1.secret', 'users.alice.adobe.digest', 'users.alice.key']);
    expect(sealed).toMatchObject({ users: { alice: { key: 'sealed(users.alice.key)', adobe: { digest: 'sealed(users.alice.adobe.digest)' } } } });
  });
});

// The config file on a real file system: created 0600 with a sealed signing key, validated on load with errors that
// name the field, unreadable without its key, and tamper-evident field by field.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configKeyFile, openConfig } from '../../../src/server/auth/config-file';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
  dirs.push(dir);
  return join(dir, 'airlock.json');
}

const NO_ENV = {};
const mode = (file: string) => statSync(file).mode & 0o777;
const edit = (file: string, change: (json: Record<string, unknown>) => void) => {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(json);
  writeFileSync(file, JSON.stringify(json));
};

describe('the security config file', () => {
  it('is created on first use, mode 0600, with a key file (0600), an active signing key and tokens required', async () => {
    const file = configPath();
    const opened = await openConfig(file, { env: NO_ENV });
    expect(opened.created).toBe(true);
    expect(mode(file)).toBe(0o600);
    expect(mode(configKeyFile(file))).toBe(0o600);
    const secret = opened.settings.signingKeys.active()!.secret.toString('base64');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ version: 1, policy: { default: { publish: 'token', play: 'token' } }, tokenWindowSeconds: 300, maxSignedTtlSeconds: 86400 });
    const again = await openConfig(file, { env: NO_ENV });
    expect(again.created).toBe(false);
    expect(again.settings.signingKeys.active()!.secret.toString('base64')).toBe(secret);
  });

  it('keeps users’ keys sealed and reads them back', async () => {
    const file = configPath();
    const opened = await openConfig(file, { env: NO_ENV });
    await opened.settings.users.add('alice', 'pw-alice-1', ['publish'], { adobe: true });
    await opened.save();
    const entry = (JSON.parse(readFileSync(file, 'utf8')) as { users: Record<string, { key: string; adobe: { digest: string } }> }).users.alice;
    expect(entry.key).toMatch(/^sealed:v1:/);
    expect(entry.adobe.digest).toMatch(/^sealed:v1:/);
    const reopened = await openConfig(file, { env: NO_ENV });
    expect(await reopened.settings.users.verifyPassword('alice', 'pw-alice-1')).toMatchObject({ ok: true });
  });

  it('uses AIRLOCK_CONFIG_KEY instead of a key file, and cannot open the file without it', async () => {
    const file = configPath();
    const env = { AIRLOCK_CONFIG_KEY: randomBytes(32).toString('base64') };
    await openConfig(file, { env });
    expect(() => statSync(configKeyFile(file))).toThrow();
    await expect(openConfig(file, { env: NO_ENV })).rejects.toThrow(/key is missing: set AIRLOCK_CONFIG_KEY/);
    await expect(openConfig(file, { env: { AIRLOCK_CONFIG_KEY: randomBytes(32).toString('base64') } })).rejects.toThrow(/cannot unseal/);
    await expect(openConfig(file, { env: { AIRLOCK_CONFIG_KEY: 'c2hvcnQ=' } })).rejects.toThrow(/must be 32 bytes/);
  });

  it.each([
    ['a wrong version', (json: Record<string, unknown>) => (json.version = 2), /version must be 1/],
    ['an unknown field', (json: Record<string, unknown>) => (json.extra = true), /unknown field "extra"/],
    ['a bad policy word', (json: Record<string, unknown>) => (json.policy = { default: { publish: 'maybe', play: 'open' }, apps: {} }), /policy.default.publish must be "token" or "open"/],
    ['a negative window', (json: Record<string, unknown>) => (json.tokenWindowSeconds = -1), /tokenWindowSeconds must be a positive/],
    ['a secret in plain text', (json: Record<string, unknown>) => ((json.signingKeys as Array<Record<string, unknown>>)[0].secret = randomBytes(32).toString('base64')), /must be sealed/],
  ])('refuses %s, naming the file and the field', async (_what, change, message) => {
    const file = configPath();
    await openConfig(file, { env: NO_ENV });
    edit(file, change);
    await expect(openConfig(file, { env: NO_ENV })).rejects.toThrow(message);
    await expect(openConfig(file, { env: NO_ENV })).rejects.toThrow(file);
  });

  it('refuses a sealed value moved to another field', async () => {
    const file = configPath();
    const opened = await openConfig(file, { env: NO_ENV });
    opened.settings.signingKeys.add({ id: 'second' });
    await opened.save();
    edit(file, (json) => {
      const keys = json.signingKeys as Array<Record<string, unknown>>;
      keys[1].secret = keys[0].secret;
    });
    await expect(openConfig(file, { env: NO_ENV })).rejects.toThrow(/signingKeys.second.secret: cannot unseal/);
  });
});

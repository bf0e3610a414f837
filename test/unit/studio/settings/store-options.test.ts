import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../../../src/shared/settings';
import { settingsStoreOptions } from '../../../../src/studio/settings';

// conf validates with ajv against the JSON Schema made from the zod schema: the two must agree on what a file may hold.
describe('the settings store options', () => {
  let dir: string;
  let conf: Conf;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-settings-options-'));
    conf = new Conf(settingsStoreOptions(dir));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('name the file settings.json in the given folder', () => {
    expect(conf.path).toBe(join(dir, 'settings.json'));
  });

  it.each([
    ['a port as text', { server: { rtmpPort: '1935' } }],
    ['a port out of range', { server: { httpPort: 0 } }],
    ['a fractional width', { capture: { width: 1280.5 } }],
    ['an unknown policy', { policy: { play: 'maybe' } }],
    ['a device id too long', { capture: { videoDeviceId: 'x'.repeat(513) } }],
    ['a section that is not an object', { window: 'maximized' }],
  ])('refuse %s in conf and in zod alike', (_what, document) => {
    expect(SettingsSchema.safeParse(document).success).toBe(false);
    expect(() => {
      conf.store = document;
    }).toThrow(/^Config schema violation/);
  });

  it.each([
    ['a partial section', { server: { rtmpPort: 1940 } }],
    ['nullable fields set to null', { window: { x: null, y: null } }],
    ['a name from a newer version', { server: { rtmpPort: 1940 }, theme: 'dark' }],
  ])('accept %s in conf and in zod alike', (_what, document) => {
    expect(SettingsSchema.safeParse(document).success).toBe(true);
    conf.store = document;
    expect(conf.store).toMatchObject(document);
  });
});

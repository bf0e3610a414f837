import { describe, expect, it } from 'vitest';
import { SettingsPatchSchema, SettingsSchema, defaultSettings } from '../../../src/shared/settings';

describe('settings schema', () => {
  it('fills every field of an empty document with its default', () => {
    const settings = SettingsSchema.parse({});
    expect(settings.server).toEqual({ rtmpPort: 1935, httpPort: 8000, rtmpsEnabled: true, rtmpsPort: 1936, lanExposed: false, autoStart: true, tokenWindowSeconds: 300 });
    expect(settings.policy).toEqual({ publish: 'token', play: 'token' });
    expect(settings.window).toMatchObject({ x: null, y: null, maximized: false });
    expect(defaultSettings()).toEqual(settings);
  });

  it('fills the fields a section leaves out and keeps those it gives', () => {
    expect(SettingsSchema.parse({ server: { rtmpPort: 1940 } }).server).toMatchObject({ rtmpPort: 1940, httpPort: 8000 });
  });

  it.each([
    ['httpPort', { httpPort: 1935 }, 'already the RTMP port'],
    ['rtmpsPort', { rtmpsPort: 8000 }, 'already the HTTP port'],
  ])('refuses a %s already taken by another listener', (field, server, message) => {
    const issues = SettingsSchema.safeParse({ server }).error?.issues ?? [];
    expect(issues).toEqual([expect.objectContaining({ path: ['server', field], message: expect.stringContaining(message) })]);
  });

  it('lets the RTMPS port repeat another while RTMPS is off', () => {
    expect(SettingsSchema.safeParse({ server: { rtmpsEnabled: false, rtmpsPort: 1935 } }).success).toBe(true);
  });
});

describe('settings patch', () => {
  it('carries only the fields it names, so applying it cannot reset the others to their defaults', () => {
    expect(SettingsPatchSchema.parse({ server: { rtmpPort: 1940 }, window: { x: null } })).toEqual({ server: { rtmpPort: 1940 }, window: { x: null } });
  });

  it.each([
    ['an unknown section', { theme: { dark: true } }],
    ['an unknown field', { server: { rtmpPrt: 1940 } }],
    ['a field of the wrong type', { policy: { publish: 'sometimes' } }],
    ['a port out of range', { server: { httpPort: 65_536 } }],
  ])('refuses %s', (_what, patch) => {
    expect(SettingsPatchSchema.safeParse(patch).success).toBe(false);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/shared/settings';
import { SETTINGS_LAYOUT_VERSION } from '../../../../src/studio/settings';
import { useSettingsDir } from './settings-dir';

const settingsDir = useSettingsDir();

const stored = (): Record<string, unknown> => JSON.parse(readFileSync(settingsDir.file, 'utf8'));

describe('settings migrations', () => {
  it('moves a 0.1 file\'s flat server options under server, and the file says it is at the current layout', () => {
    writeFileSync(settingsDir.file, JSON.stringify({ rtmpPort: 1940, httpPort: 8080, host: '0.0.0.0' }));
    const settings = settingsDir.open();
    expect(settings.recoveredFrom).toBeNull();
    expect(settings.get().server).toEqual({ ...defaultSettings().server, rtmpPort: 1940, httpPort: 8080, lanExposed: true });
    const file = stored();
    expect(file).not.toHaveProperty('rtmpPort');
    expect(file).not.toHaveProperty('host');
    expect(file).toMatchObject({ server: { rtmpPort: 1940 }, __internal__: { migrations: { version: SETTINGS_LAYOUT_VERSION } } });
  });

  it('keeps a 0.1 server that listened on loopback only off the network', () => {
    writeFileSync(settingsDir.file, JSON.stringify({ rtmpPort: 1940, host: '127.0.0.1' }));
    expect(settingsDir.open().get().server).toMatchObject({ rtmpPort: 1940, lanExposed: false });
  });

  it('runs a migration once: a file already at the current layout keeps its own values', () => {
    writeFileSync(settingsDir.file, JSON.stringify({ rtmpPort: 1940, server: { rtmpPort: 1950 }, __internal__: { migrations: { version: SETTINGS_LAYOUT_VERSION } } }));
    expect(settingsDir.open().get().server.rtmpPort).toBe(1950);
  });

  it('backs up the untouched 0.1 file when what it migrates to is invalid', () => {
    const old = JSON.stringify({ rtmpPort: 'nineteen thirty-five' });
    writeFileSync(settingsDir.file, old);
    const settings = settingsDir.open();
    expect(settings.get()).toEqual(defaultSettings());
    expect(settings.recoveredFrom && readFileSync(settings.recoveredFrom, 'utf8')).toBe(old);
    expect(settings.recoveryReason).toContain('rtmpPort');
  });
});

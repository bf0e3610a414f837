import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Emit } from '../../../../src/studio/ports';
import { defaultSettings, type Settings } from '../../../../src/shared/settings';
import { useSettingsDir } from './settings-dir';

const settingsDir = useSettingsDir();

const stored = (): Record<string, unknown> => JSON.parse(readFileSync(settingsDir.file, 'utf8'));
const backups = (): string[] => readdirSync(settingsDir.dir).filter((name) => name.startsWith('settings.corrupt-'));

describe('openSettings', () => {
  it('creates settings.json with the defaults, readable by its owner only', () => {
    const settings = settingsDir.open();
    expect(settings.get()).toEqual(defaultSettings());
    expect(settings.file).toBe(settingsDir.file);
    expect(stored()).toMatchObject(defaultSettings());
    expect(statSync(settingsDir.file).mode & 0o777).toBe(0o600);
    expect(settings.recoveredFrom).toBeNull();
  });

  it('finds a changed setting again after a restart', () => {
    settingsDir.open().update({ server: { rtmpPort: 1940 }, policy: { play: 'open' } });
    const reopened = settingsDir.open();
    expect(reopened.get().server.rtmpPort).toBe(1940);
    expect(reopened.get().policy).toEqual({ publish: 'token', play: 'open' });
    expect(reopened.recoveredFrom).toBeNull();
  });

  it('fills in the fields a hand-edited file leaves out, and ignores names it does not know', () => {
    writeFileSync(settingsDir.file, JSON.stringify({ server: { httpPort: 8080 }, theme: 'dark' }));
    const settings = settingsDir.open();
    expect(settings.get()).toEqual({ ...defaultSettings(), server: { ...defaultSettings().server, httpPort: 8080 } });
    expect(settings.recoveredFrom).toBeNull();
  });
});

describe('update', () => {
  it('changes only the fields a patch names and keeps what was set before', () => {
    const settings = settingsDir.open();
    settings.update({ server: { httpPort: 8080 } });
    const after = settings.update({ server: { rtmpPort: 1940 } });
    expect(after.server).toMatchObject({ rtmpPort: 1940, httpPort: 8080 });
    expect(settings.get()).toBe(after);
  });

  it.each([
    ['a port out of range', { server: { rtmpPort: 70_000 } }, 'server.rtmpPort'],
    ['a port another listener has', { server: { httpPort: 1935 } }, 'server.httpPort'],
    ['an unknown field', { capture: { fps: 30 } }, 'capture'],
  ])('refuses %s with SETTINGS_INVALID naming the field, and changes nothing', (_what, patch, field) => {
    const settings = settingsDir.open();
    const before = readFileSync(settingsDir.file, 'utf8');
    expect(() => settings.update(patch as never)).toThrow(expect.objectContaining({ code: 'SETTINGS_INVALID', message: expect.stringContaining(field) }));
    expect(settings.get()).toEqual(defaultSettings());
    expect(readFileSync(settingsDir.file, 'utf8')).toBe(before);
  });

  it('tells listeners and the renderer about a change, once, and nothing about a patch that changes nothing', () => {
    const emitted: unknown[] = [];
    const emit: Emit = (name, payload) => emitted.push([name, payload]);
    const settings = settingsDir.open({ emit });
    const heard: [Settings, Settings][] = [];
    const stop = settings.onChange((now, previous) => heard.push([now, previous]));
    const changed = settings.update({ preview: { transport: 'http-flv' } });
    settings.update({ preview: { transport: 'http-flv' } });
    expect(heard).toEqual([[changed, defaultSettings()]]);
    expect(emitted).toEqual([['settings.changed', changed]]);
    stop();
    settings.update({ preview: { transport: 'ws-flv' } });
    expect(heard).toHaveLength(1);
  });

  it('hands out settings no reader can change behind its back', () => {
    const settings = settingsDir.open();
    expect(() => {
      settings.get().server.rtmpPort = 1;
    }).toThrow(TypeError);
    expect(settings.get().server.rtmpPort).toBe(1935);
  });
});

describe('a corrupt settings file', () => {
  afterEach(() => vi.useRealTimers());

  it.each([
    ['not JSON', '{"server": {"rtmpPort": 19'],
    ['empty', ''],
    ['JSON but not an object', '[1935, 8000]'],
    ['null', 'null'],
    ['against the schema', JSON.stringify({ server: { rtmpPort: 70_000 }, capture: { width: 'wide' } })],
    ['marked with a layout version that is not a version', JSON.stringify({ __internal__: { migrations: { version: 'banana' } } })],
    ['valid JSON Schema but two listeners on one port', JSON.stringify({ server: { rtmpPort: 8000, httpPort: 8000 } })],
  ])('is backed up byte for byte and replaced by defaults when it is %s', (_what, content) => {
    writeFileSync(settingsDir.file, content);
    const settings = settingsDir.open();
    expect(settings.get()).toEqual(defaultSettings());
    expect(settings.recoveredFrom).toMatch(/settings\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    expect(settings.recoveredFrom && readFileSync(settings.recoveredFrom, 'utf8')).toBe(content);
    expect(settings.recoveryReason).toEqual(expect.any(String));
    expect(stored()).toMatchObject(defaultSettings());
    expect(settingsDir.open().recoveredFrom).toBeNull();
  });

  it('names what was wrong with it', () => {
    writeFileSync(settingsDir.file, JSON.stringify({ server: { rtmpPort: 8000, httpPort: 8000 } }));
    expect(settingsDir.open().recoveryReason).toContain('server.httpPort');
  });

  it('never overwrites an earlier backup, even within the same millisecond', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-22T10:07:09.123Z') });
    writeFileSync(settingsDir.file, 'first');
    const first = settingsDir.open().recoveredFrom;
    writeFileSync(settingsDir.file, 'second');
    const second = settingsDir.open().recoveredFrom;
    expect(first).toBe(join(settingsDir.dir, 'settings.corrupt-2026-11-22T10-07-09-123Z.json'));
    expect(second).toBe(join(settingsDir.dir, 'settings.corrupt-2026-11-22T10-07-09-123Z-1.json'));
    expect(backups().map((name) => readFileSync(join(settingsDir.dir, name), 'utf8')).sort()).toEqual(['first', 'second']);
  });
});

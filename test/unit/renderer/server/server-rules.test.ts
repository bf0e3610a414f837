import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/shared/settings';
import { pendingChanges } from '../../../../src/renderer/src/features/server/pendingChanges';
import { checkPorts } from '../../../../src/renderer/src/features/server/portForm';
import { mergeSamples, seriesFor, HISTORY_WINDOW_MS } from '../../../../src/renderer/src/features/server/useLiveStats';
import { status } from './server-fixtures';

const saved = defaultSettings().server;

describe('pendingChanges', () => {
  it('is empty when the running server uses the saved settings', () => {
    expect(pendingChanges(saved, status('running'))).toEqual([]);
  });

  it('names each saved setting the running server does not use yet', () => {
    const next = { ...saved, rtmpPort: 1940, rtmpsEnabled: false, lanExposed: true };
    expect(pendingChanges(next, status('running'))).toEqual(['RTMP port 1935 → 1940', 'RTMPS on → off', 'LAN access off → on']);
  });

  it('says nothing while the server is not running: everything applies at the next start', () => {
    expect(pendingChanges({ ...saved, rtmpPort: 1940 }, status('stopped'))).toEqual([]);
  });
});

describe('checkPorts', () => {
  const draft = { rtmpPort: '1935', rtmpsPort: '1936', httpPort: '8000' };

  it('accepts distinct ports', () => {
    expect(checkPorts(draft, true)).toEqual({ ports: { rtmpPort: 1935, rtmpsPort: 1936, httpPort: 8000 } });
  });

  it('lets the RTMPS port clash while RTMPS is off, since it does not listen', () => {
    expect('ports' in checkPorts({ ...draft, rtmpsPort: '8000' }, false)).toBe(true);
    expect(checkPorts({ ...draft, rtmpsPort: '8000' }, true)).toEqual({ errors: { rtmpsPort: 'HTTP port already uses 8000: each listener needs its own port.' } });
  });

  it('refuses empty, fractional and out-of-range ports', () => {
    const result = checkPorts({ rtmpPort: '', rtmpsPort: '19.5', httpPort: '65536' }, true);
    expect(Object.keys('errors' in result ? result.errors : {})).toEqual(['rtmpPort', 'rtmpsPort', 'httpPort']);
  });
});

describe('stats history', () => {
  const at = (ms: number, bitrateKbps: number) => ({ at: ms, streams: [{ path: 'live/a', bitrateKbps, viewers: 1 }] });

  it('merges in time order without duplicates and keeps only the window', () => {
    const merged = mergeSamples([at(0, 1), at(1000, 2)], [at(1000, 2), at(HISTORY_WINDOW_MS + 500, 3)]);
    expect(merged.map((sample) => sample.at)).toEqual([1000, HISTORY_WINDOW_MS + 500]);
  });

  it('reads a stream as 0 in samples where it was not live', () => {
    const samples = [at(0, 5), { at: 1000, streams: [] }, at(2000, 7)];
    expect(seriesFor(samples, 'live/a')).toEqual({ bitrateKbps: [5, 0, 7], viewers: [1, 0, 1] });
  });
});

import { describe, expect, it } from 'vitest';
import type { ServerStatus, StatsSample, StreamInfo } from '../../../src/shared/ipc';
import { traySummary } from '../../../src/main/tray-status';

const status = (state: ServerStatus['state']): ServerStatus => ({
  state,
  restarts: 0,
  endpoints: { rtmp: null, rtmps: null, http: null },
  lanExposed: false,
  lanAddresses: [],
  certificate: null,
});

const stream = (path: string, live: boolean, rtmp: number, wsFlv: number): StreamInfo => ({
  path,
  publisher: live ? { sessionId: 1, address: '127.0.0.1', protocol: 'rtmp', since: '' } : null,
  video: null,
  audio: null,
  bitrateKbps: 0,
  players: { rtmp, rtmps: 0, 'http-flv': 0, 'ws-flv': wsFlv },
  drops: 0,
  sessions: [],
});

describe('traySummary', () => {
  it('names the server state when it is not running', () => {
    expect(traySummary(status('restarting'), null)).toEqual({ line: 'Airlock Studio — Server restarting…', serverRunning: false });
  });

  it('counts live streams and the viewers of every protocol', () => {
    const sample: StatsSample = { at: 0, streams: [stream('live/a', true, 2, 1), stream('live/b', true, 0, 0), stream('live/idle', false, 0, 0)] };
    expect(traySummary(status('running'), sample).line).toBe('Airlock Studio — Server running, 2 live streams, 3 viewers');
  });

  it('speaks in the singular for one', () => {
    expect(traySummary(status('running'), { at: 0, streams: [stream('live/a', true, 1, 0)] }).line).toBe('Airlock Studio — Server running, 1 live stream, 1 viewer');
  });
});

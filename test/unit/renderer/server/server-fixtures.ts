// Server answers for renderer tests: statuses in each state, a live stream, a certificate, access log entries.
import type { AccessEntry, CertificateInfo, ServerStatus, StatsSample, StreamInfo } from '../../../../src/shared/ipc';

export const certificate: CertificateInfo = {
  source: 'generated',
  fingerprint256: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
  subject: 'CN=Airlock Studio',
  names: ['127.0.0.1', 'localhost'],
  notAfter: '2027-01-01T00:00:00.000Z',
};

export function status(state: ServerStatus['state'], patch: Partial<ServerStatus> = {}): ServerStatus {
  const running = state === 'running';
  return {
    state,
    restarts: 0,
    endpoints: running ? { rtmp: 'rtmp://127.0.0.1:1935', rtmps: 'rtmps://127.0.0.1:1936', http: 'http://127.0.0.1:8000' } : { rtmp: null, rtmps: null, http: null },
    lanExposed: false,
    lanAddresses: [],
    certificate,
    ...patch,
  };
}

export function stream(patch: Partial<StreamInfo> = {}): StreamInfo {
  return {
    path: 'live/studio',
    publisher: { sessionId: 3, address: '192.0.2.10', protocol: 'rtmps', since: '2026-01-01T10:00:00.000Z' },
    video: { codec: 'H264', width: 1280, height: 720, fps: 30 },
    audio: { codec: 'AAC', sampleRate: 48_000, channels: 2 },
    bitrateKbps: 2500,
    players: { rtmp: 1, rtmps: 0, 'http-flv': 2, 'ws-flv': 0 },
    drops: 4,
    sessions: [{ sessionId: 7, address: '198.51.100.4', protocol: 'rtmp', since: '2026-01-01T10:01:00.000Z' }],
    ...patch,
  };
}

export const sample = (at: number, streams: StreamInfo[]): StatsSample => ({ at, streams });

export function accessEntry(id: number, patch: Partial<AccessEntry> = {}): AccessEntry {
  return {
    id,
    at: '2026-01-01T10:00:00.000Z',
    address: '203.0.113.5',
    protocol: 'rtmp',
    action: 'publish',
    path: 'live/studio',
    outcome: 'allowed',
    code: null,
    sessionId: id,
    ...patch,
  };
}

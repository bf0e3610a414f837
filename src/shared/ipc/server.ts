// The Server screen's part of the contract: lifecycle, certificate, live streams, the access log, kicks.
import { z } from 'zod';
import { event, request } from './define';

/** The server process as the user sees it (ServerHost's states, plus what it listens on). */
export type ServerState = 'starting' | 'running' | 'crashed' | 'restarting' | 'stopped';

export interface ServerEndpoints {
  /** rtmp://host:port, rtmps://…, http://host:port (HTTP-FLV, WS-FLV and stats) — null when that listener is off. */
  rtmp: string | null;
  rtmps: string | null;
  http: string | null;
}

export interface CertificateInfo {
  source: 'generated' | 'imported';
  /** SHA-256 fingerprint, colon-separated hex, as OBS and browsers show it. */
  fingerprint256: string;
  subject: string;
  /** Host names and addresses the certificate covers. */
  names: string[];
  notAfter: string;
}

export interface ServerStatus {
  state: ServerState;
  restarts: number;
  /** The restart under way, and when it launches. */
  attempt?: number;
  retryInMs?: number;
  /** Why the server crashed or stopped, in words for the user. */
  reason?: string;
  endpoints: ServerEndpoints;
  /** Listening on every interface (LAN) rather than 127.0.0.1. */
  lanExposed: boolean;
  /** Addresses other machines on the LAN can use, when exposed. */
  lanAddresses: string[];
  certificate: CertificateInfo | null;
}

export type PlayerProtocol = 'rtmp' | 'rtmps' | 'http-flv' | 'ws-flv';

export interface StreamInfo {
  /** app/stream */
  path: string;
  publisher: { sessionId: number; address: string; protocol: 'rtmp' | 'rtmps'; since: string } | null;
  video: { codec: string; width: number | null; height: number | null; fps: number | null } | null;
  audio: { codec: string; sampleRate: number | null; channels: number | null } | null;
  /** Incoming bitrate over the last sample period. */
  bitrateKbps: number;
  players: Record<PlayerProtocol, number>;
  /** Frames players lost to slow links (dropped to the next keyframe), summed. */
  drops: number;
  /** RTMP player sessions, for kicking one. */
  sessions: { sessionId: number; address: string; protocol: PlayerProtocol; since: string }[];
}

/** Everyone watching a stream, over every protocol: what the tray, the graphs and the Server screen call viewers. */
export const viewersOf = ({ players }: Pick<StreamInfo, 'players'>): number => Object.values(players).reduce((sum, count) => sum + count, 0);

/** One sample of every live stream; the service keeps the last minutes for the graphs. */
export interface StatsSample {
  at: number;
  streams: StreamInfo[];
}

/** What the graphs keep of a sample: bitrate and viewers per stream. */
export interface HistorySample {
  at: number;
  streams: { path: string; bitrateKbps: number; viewers: number }[];
}

export interface StatsHistory {
  /** Sample period. */
  intervalMs: number;
  samples: HistorySample[];
}

export const historySample = (sample: StatsSample): HistorySample => ({
  at: sample.at,
  streams: sample.streams.map((stream) => ({ path: stream.path, bitrateKbps: stream.bitrateKbps, viewers: viewersOf(stream) })),
});

export type AccessOutcome = 'allowed' | 'refused' | 'closed';

export interface AccessEntry {
  id: number;
  at: string;
  /** The client's real address (through PROXY protocol when trusted), never a proxy's. */
  address: string;
  protocol: string;
  action: 'connect' | 'publish' | 'play' | 'close';
  path: string | null;
  outcome: AccessOutcome;
  /** The precise code: CONNECT_TOKEN, SIGNED_URL, TOKEN_EXPIRED, PASSWORD_WRONG… */
  code: string | null;
  sessionId: number | null;
}

export const serverRequests = {
  'server.status': request<ServerStatus>()(z.undefined()),
  'server.start': request<ServerStatus>()(z.undefined()),
  'server.stop': request<ServerStatus>()(z.undefined()),
  /** Generates a fresh self-signed certificate (the SANs OBS needs) and reloads it without dropping sessions. */
  'server.generateCertificate': request<CertificateInfo>()(z.undefined()),
  /** Imports a PEM certificate chain and its key; refused with a reason when they do not match or do not parse. */
  'server.importCertificate': request<CertificateInfo>()(
    z.object({ certificatePem: z.string().min(1).max(256 * 1024), keyPem: z.string().min(1).max(64 * 1024) }).strict(),
  ),
  'server.stats': request<StatsSample>()(z.undefined()),
  'server.history': request<StatsHistory>()(z.undefined()),
  /** Newest first; the text matches address, path, code and outcome. */
  'server.accessLog': request<AccessEntry[]>()(
    z.object({ search: z.string().max(256).default(''), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
  ),
  'server.kick': request<boolean>()(z.object({ sessionId: z.number().int().nonnegative() }).strict()),
};

export const serverEvents = {
  'server.status': event<ServerStatus>(),
  'server.stats': event<StatsSample>(),
  'server.access': event<AccessEntry>(),
};

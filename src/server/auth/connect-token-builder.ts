import { connectTokenHmac } from './connect-token';
import { CONNECT_TOKEN_FIELDS, type ConnectTokenField } from './connect-token-fields';

/** The four Base64 fields and ready-to-paste client arguments that append them to connect. */
export type ConnectToken = Record<ConnectTokenField, string> & {
  /** For ffmpeg: `-rtmp_conn "O:1 NS:ntoken:… NS:ptoken:… NS:ttoken:… NS:ftoken:… O:0"`. */
  ffmpeg: string;
  /** For rtmpdump (librtmp): `--conn O:1 --conn NS:ntoken:… … --conn O:0` (rtmpdump(1) --conn). */
  rtmpdump: string;
};

export interface ConnectTokenInput {
  user: string;
  /** UNIX seconds; the server accepts it within its window (default ±300 s) of its own clock. */
  time: number;
  /** A permission field: publish, play, tuiliu, bofang, or several comma-separated. */
  permission: string;
}

const base64 = (text: string): string => Buffer.from(text).toString('base64');

function assemble(user: string, ptokenText: string, ttoken: string, permission: string): ConnectToken {
  return connectTokenArguments({ ntoken: base64(user), ptoken: base64(ptokenText), ttoken: base64(ttoken), ftoken: base64(permission) });
}

/** The client arguments for four fields already in Base64 (a token built earlier and kept). */
export function connectTokenArguments(fields: Record<ConnectTokenField, string>): ConnectToken {
  // Standard Base64 has no space or colon, so it needs no escaping in either client's syntax.
  const items = ['O:1', ...CONNECT_TOKEN_FIELDS.map((field) => `NS:${field}:${fields[field]}`), 'O:0'];
  return { ...fields, ffmpeg: `-rtmp_conn "${items.join(' ')}"`, rtmpdump: items.map((item) => `--conn ${item}`).join(' ') };
}

function timeField(time: number): string {
  if (!Number.isSafeInteger(time) || time < 0) throw new RangeError(`time must be whole UNIX seconds, got ${time}`);
  return String(time);
}

/** The plain form: ptoken carries the password itself, readable by anyone who sees the connect (use RTMPS). */
export function buildConnectToken(input: ConnectTokenInput & { password: string }): ConnectToken {
  return assemble(input.user, input.password, timeField(input.time), input.permission);
}

/** The HMAC form: ptoken carries hex(connectTokenHmac(key, …)), so the password never travels. */
export function buildHmacConnectToken(input: ConnectTokenInput & { key: Buffer }): ConnectToken {
  const ttoken = timeField(input.time);
  return assemble(input.user, connectTokenHmac(input.key, input.user, ttoken, input.permission).toString('hex'), ttoken, input.permission);
}

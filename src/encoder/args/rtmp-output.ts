import { EncoderError } from '../errors';

export interface RtmpOutputOptions {
  /** rtmp:// or rtmps:// URL including app and stream name. */
  output: string;
  /** Fields appended to connect as an AMF object (RTMP 1.0 §7.2.1.1 optional arguments), values already Base64. */
  connectArgs?: Readonly<Record<string, string>>;
  /** For rtmps://: verify the server's certificate against this CA file; without it ffmpeg does not verify. */
  caFile?: string;
}

// ffmpeg splits -rtmp_conn on spaces and a named field on its first colon, and has no escape for either.
const FIELD_NAME = /^[A-Za-z0-9_]+$/;
const FIELD_VALUE = /^[A-Za-z0-9+/=_-]*$/;

/** `-rtmp_conn "O:1 NS:name:value … O:0"`: one string-valued object appended to connect. */
export function rtmpConnArgs(fields: Readonly<Record<string, string>>): string[] {
  const items = Object.entries(fields).map(([name, value]) => {
    if (!FIELD_NAME.test(name)) throw new EncoderError('ARGUMENT_INVALID', `connect field name ${JSON.stringify(name)} must be letters, digits or _`);
    if (!FIELD_VALUE.test(value)) throw new EncoderError('ARGUMENT_INVALID', `connect field ${name} must be Base64`);
    return `NS:${name}:${value}`;
  });
  return ['-rtmp_conn', ['O:1', ...items, 'O:0'].join(' ')];
}

/** The output half of a publishing command: FLV over RTMP(S), connect fields and TLS options before the URL. */
export function rtmpOutputArgs({ output, connectArgs, caFile }: RtmpOutputOptions): string[] {
  const secure = output.startsWith('rtmps://');
  if (!secure && !output.startsWith('rtmp://')) throw new EncoderError('ARGUMENT_INVALID', 'output must be an rtmp:// or rtmps:// URL');
  if (caFile !== undefined && !secure) throw new EncoderError('ARGUMENT_INVALID', 'a CA file applies to rtmps:// only');
  const tls = !secure ? [] : caFile === undefined ? ['-tls_verify', '0'] : ['-tls_verify', '1', '-ca_file', caFile];
  return ['-f', 'flv', ...(connectArgs ? rtmpConnArgs(connectArgs) : []), ...tls, output];
}

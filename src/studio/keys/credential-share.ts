// The copy buttons: one secret written out as OBS fields, an ffmpeg command line and play URLs, in the exact forms the
// server reads (stream keys and signed queries on the stream name, connect tokens in connect or the query).
import { connectTokenArguments } from '../../server/auth/connect-token-builder';
import type { ConnectTokenField } from '../../server/auth/connect-token-fields';
import type { CredentialShare, Permission } from '../../shared/ipc/keys';
import type { ServerEndpoints } from '../../shared/ipc/server';

/** What a share is made of: the secret in its own form, and where it may be used. */
export type ShareSecret =
  | { kind: 'stream-key'; app: string; stream: string; key: string }
  | { kind: 'signed-link'; permission: Permission; app: string; stream: string; query: string }
  | { kind: 'connect-token'; permission: Permission; app: string; stream: string; fields: Record<ConnectTokenField, string> };

/** Endpoints with at least one RTMP listener: where a publisher or RTMP player connects. */
export type ShareEndpoints = ServerEndpoints & { rtmp: string };

/** The encoder part of a publish command; INPUT is for the user to fill in. */
export const FFMPEG_PUBLISH = 'ffmpeg -re -i INPUT -c:v libx264 -c:a aac -f flv';
const FFPLAY = 'ffplay';

// Shell words in double quotes read the same in sh, zsh, PowerShell and cmd, given names without " $ ` ! % '.
const quoted = (text: string): string => `"${text}"`;
const base = (url: string): string => url.replace(/\/+$/, '');

/** Characters a name may not have if it is to be copied into a command line that means the same in every shell. */
export const SHELL_UNSAFE = /["$`!%']/;

export function credentialShare(secret: ShareSecret, endpoints: ShareEndpoints): CredentialShare {
  const rtmp = `${base(endpoints.rtmp)}/${secret.app}`;
  if (secret.kind === 'stream-key') {
    // OBS's Stream Key field alone: the key names its own stream. ffmpeg names the stream and adds the key.
    const url = `${rtmp}/${secret.stream}?${new URLSearchParams({ key: secret.key })}`;
    return { obs: { server: rtmp, streamKey: secret.key }, ffmpeg: `${FFMPEG_PUBLISH} ${quoted(url)}`, play: null, secret: secret.key };
  }
  const query = secret.kind === 'signed-link' ? secret.query : new URLSearchParams(secret.fields).toString();
  const connect = secret.kind === 'connect-token' ? `${connectTokenArguments(secret.fields).ffmpeg} ` : '';
  // With -rtmp_conn the token travels in connect; everywhere else it rides in the stream name's query.
  const commandUrl = secret.kind === 'connect-token' ? `${rtmp}/${secret.stream}` : `${rtmp}/${secret.stream}?${query}`;
  const bare = secret.kind === 'signed-link' ? secret.query : JSON.stringify(secret.fields);
  if (secret.permission === 'publish') {
    return { obs: { server: rtmp, streamKey: `${secret.stream}?${query}` }, ffmpeg: `${FFMPEG_PUBLISH} ${connect}${quoted(commandUrl)}`, play: null, secret: bare };
  }
  const play = {
    rtmp: `${rtmp}/${secret.stream}?${query}`,
    rtmps: endpoints.rtmps === null ? null : `${base(endpoints.rtmps)}/${secret.app}/${secret.stream}?${query}`,
    httpFlv: endpoints.http === null ? null : `${base(endpoints.http)}/${encodeURIComponent(secret.app)}/${encodeURIComponent(secret.stream)}.flv?${query}`,
  };
  return { obs: null, ffmpeg: `${FFPLAY} ${connect}${quoted(commandUrl)}`, play, secret: bare };
}

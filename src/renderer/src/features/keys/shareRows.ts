// The ready-to-paste forms of a secret shown for each key or credential: OBS fields, ffmpeg, play URLs.
import type { CredentialKind, CredentialShare, Permission } from '../../../../shared/ipc';

export type SecretKind = 'stream-key' | CredentialKind;

export interface ShareRow {
  id: string;
  label: string;
  pick: (share: CredentialShare) => string | null | undefined;
  /** Whether this kind of secret has the row at all; once the share is fetched, a row without a value is dropped. */
  expected: (kind: SecretKind, permission: Permission) => boolean;
  /** Why the row has no value, if it turns out to have none. */
  missing: string;
}

const SHARE_ROWS: ShareRow[] = [
  {
    id: 'obs-server',
    label: 'OBS Server',
    pick: (share) => share.obs?.server,
    expected: (_kind, permission) => permission === 'publish',
    missing: 'Only publishing credentials have an OBS form.',
  },
  {
    id: 'obs-stream-key',
    label: 'OBS Stream Key',
    pick: (share) => share.obs?.streamKey,
    expected: (_kind, permission) => permission === 'publish',
    missing: 'Only publishing credentials have an OBS form.',
  },
  { id: 'ffmpeg', label: 'ffmpeg command', pick: (share) => share.ffmpeg, expected: () => true, missing: 'This credential has no ffmpeg form.' },
  {
    id: 'rtmp',
    label: 'RTMP play URL',
    pick: (share) => share.play?.rtmp,
    expected: (_kind, permission) => permission === 'play',
    missing: 'This credential has no play URL.',
  },
  {
    id: 'rtmps',
    label: 'RTMPS play URL',
    pick: (share) => share.play?.rtmps,
    expected: (_kind, permission) => permission === 'play',
    missing: 'RTMPS is off, so there is no RTMPS URL.',
  },
  {
    id: 'http-flv',
    label: 'HTTP-FLV play URL',
    pick: (share) => share.play?.httpFlv,
    expected: (_kind, permission) => permission === 'play',
    missing: 'This credential has no HTTP-FLV URL.',
  },
  {
    id: 'token',
    label: 'Token fields',
    pick: (share) => share.secret,
    expected: (kind) => kind === 'connect-token',
    missing: 'This credential has no token fields.',
  },
];

/** The rows to show: the expected ones, less those the fetched share turns out not to have (RTMPS off). */
export const visibleRows = (kind: SecretKind, permission: Permission, share: CredentialShare | null): ShareRow[] =>
  SHARE_ROWS.filter((row) => row.expected(kind, permission) && (share === null || row.pick(share) != null));

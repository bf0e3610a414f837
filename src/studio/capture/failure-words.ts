// Why an encoder run failed, in words a user understands, and what to try: the status line under the preview.
import type { FailureKind, FailureReason } from '../../encoder';
import { redact } from '../../server/auth/redact';

export interface FailureWords {
  reason: string;
  hint: string;
}

const WORDS: Readonly<Record<FailureKind, FailureWords>> = {
  authorization: {
    reason: 'The server refused the publish token',
    hint: 'Check under Keys that a signing key is active and not revoked, and that the publish policy allows this stream.',
  },
  'stream-busy': {
    reason: 'Another encoder is already publishing to this stream',
    hint: 'Stop the other publisher (OBS, the test bench) or choose another stream name in Settings.',
  },
  'connection-refused': { reason: 'The server is not accepting connections', hint: 'Check that the server is running.' },
  'connection-lost': { reason: 'The connection to the server was lost', hint: 'The server may have restarted or ended the stream; the studio tries again by itself.' },
  timeout: { reason: 'The server did not answer in time', hint: 'Check that the server is running and not overloaded.' },
  tls: { reason: 'The secure (RTMPS) connection failed', hint: 'Check the server certificate on the Server screen, or publish over plain RTMP.' },
  'invalid-input': { reason: 'The encoder could not read the recording', hint: 'Restart the capture; if it keeps failing, choose another camera or recording format.' },
  'unknown-encoder': { reason: 'This ffmpeg lacks a codec the studio needs', hint: 'Use an ffmpeg build with libx264 and AAC, for example by setting FFMPEG_BIN.' },
  'server-rejected': { reason: 'The server refused the stream', hint: 'The server’s access log says why.' },
  'spawn-failed': { reason: 'ffmpeg could not be started', hint: 'Check that ffmpeg is installed, or set FFMPEG_BIN to its path.' },
  'setup-failed': { reason: 'The encoder could not be set up', hint: 'Check that the server is running and that a signing key is active under Keys.' },
  unknown: { reason: 'ffmpeg stopped unexpectedly', hint: 'The studio restarts it by itself; if it keeps stopping, restart the capture.' },
};

// ffmpeg quotes the server's own description after "Server error:"; nothing else on its lines is meant for users.
const SERVER_SAYS = /Server error:\s*(.+)$/;

/** The words for a failure, with the server's description when it gave one (secrets masked, length capped). */
export function describeFailure({ kind, line }: FailureReason): FailureWords {
  const words = WORDS[kind];
  // A setup failure's line is the studio's own message, already written for the user.
  if (kind === 'setup-failed' && line !== null) return { ...words, reason: redact(line).slice(0, 200) };
  const said = line === null ? undefined : SERVER_SAYS.exec(line)?.[1]?.trim();
  return said ? { ...words, reason: `${words.reason}: ${redact(said).slice(0, 200)}` } : words;
}

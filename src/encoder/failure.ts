// Why an ffmpeg run failed, read from its last stderr lines: a stable kind for the UI and the line that says so.

export type FailureKind =
  | 'authorization' // the server refused connect or publish (token, key, password, permission)
  | 'stream-busy' // someone already publishes on that name (NetStream.Publish.BadName)
  | 'connection-refused' // nothing listens at the URL's host and port
  | 'connection-lost' // the server closed or reset a running publish
  | 'timeout' // the server did not answer in time
  | 'tls' // RTMPS handshake or certificate verification failed
  | 'invalid-input' // the bytes on stdin are not the container ffmpeg was told to read
  | 'unknown-encoder' // this ffmpeg build lacks a codec the arguments name
  | 'server-rejected' // the server answered with an error not recognised above
  | 'spawn-failed' // the binary could not be started at all
  | 'setup-failed' // the run's command line could not be made (no server to publish to, no credential)
  | 'unknown'; // no known line: a crash, a kill, a clean exit nobody asked for

export interface FailureReason {
  kind: FailureKind;
  /** The stderr line that decided the kind; null when none did. */
  line: string | null;
}

// First matching rule wins, so specific server answers precede the generic errno line ffmpeg prints after them.
const RULES: readonly (readonly [FailureKind, RegExp])[] = [
  // The server's description: our policy's "Authentication failed." / "Not authorized to …", Adobe's authfailed, Unauthorized.
  ['authorization', /authentication failed|not authori[sz]ed|unauthori[sz]ed|authfailed|need auth|unsupported authentication method|Connect\.Rejected/i],
  ['stream-busy', /BadName|already being published|stream (is )?busy/i],
  ['connection-refused', /Connection refused/],
  ['tls', /TLS|certificate|[Hh]andshake failed/],
  ['timeout', /timed out/i],
  ['connection-lost', /Broken pipe|Connection reset by peer|Error writing trailer|Error muxing a packet/],
  ['invalid-input', /Invalid data found when processing input|EBML header parsing failed/],
  ['unknown-encoder', /Unknown encoder|Encoder not found/],
  ['server-rejected', /Server error:/],
];

export function classifyFailure(stderrLines: readonly string[]): FailureReason {
  for (const [kind, pattern] of RULES) {
    const line = stderrLines.find((candidate) => pattern.test(candidate));
    if (line !== undefined) return { kind, line };
  }
  return { kind: 'unknown', line: null };
}

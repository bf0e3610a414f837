// Typed errors with stable codes: what a peer did wrong, never a crash of the process.

export type ErrorCode =
  | 'HANDSHAKE_BAD_VERSION' // C0/S0 version byte is not 3 (or 6 for RTMPE, unsupported)
  | 'HANDSHAKE_BAD_ECHO' // C2/S2 does not echo what we sent
  | 'HANDSHAKE_BAD_DIGEST' // S1 digest or S2 signature does not verify (client side)
  | 'CHUNK_BAD_STREAM_ID' // chunk stream id outside the allowed range
  | 'CHUNK_TOO_MANY_STREAMS' // more chunk streams than the limit per connection
  | 'CHUNK_NO_PREVIOUS_HEADER' // type 1/2/3 chunk on a chunk stream never opened by type 0
  | 'CHUNK_SIZE_INVALID' // Set Chunk Size of 0, with the top bit set, or above the limit
  | 'MESSAGE_TOO_LARGE' // message length above the limit
  | 'MESSAGE_MALFORMED' // a message body that does not parse as its type says
  | 'MESSAGE_UNKNOWN_TYPE' // message type id we do not know
  | 'AMF_MALFORMED' // AMF0/AMF3 bytes that do not decode
  | 'AMF_TOO_DEEP' // nesting above the limit
  | 'FLV_MALFORMED' // FLV header or tag that does not parse
  | 'PROXY_HEADER_INVALID' // PROXY protocol v1 line or v2 block that does not parse, or is over its limit
  | 'PROXY_UNTRUSTED_PEER' // a PROXY-protocol listener reached by a peer not in its trusted list
  | 'TLS_CERTIFICATE_INVALID' // a certificate or key file that is missing, does not parse, or is not a matching pair
  | 'COMMAND_INVALID' // a command in the wrong phase or with wrong arguments
  | 'TIMEOUT_HANDSHAKE' // peer did not complete the handshake in time
  | 'TIMEOUT_PROXY_HEADER' // trusted proxy did not send a whole PROXY header in time
  | 'TIMEOUT_IDLE' // peer sent nothing for too long
  | 'TOO_MANY_CONNECTIONS' // connection limit reached
  | 'SOCKET_ERROR'; // the transport failed

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

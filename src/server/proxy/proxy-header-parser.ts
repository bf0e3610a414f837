// PROXY protocol header (HAProxy proxy-protocol.txt, v1 and v2) as a push parser: bytes in, one header out, and
// the bytes after it handed back untouched. A connection that does not start with a PROXY header is refused (§5).
import {
  LF,
  V1_MAX_LINE,
  V1_PREFIX,
  V2_FIXED_LENGTH,
  V2_SIGNATURE,
  V2_VERSION,
  invalidHeader,
} from './header';
import type { ProxyHeader } from './header';
import { parseV1Line } from './v1-line';
import { parseV2Block } from './v2-block';

export interface ProxyHeaderParserOptions {
  /** Longest header accepted, in bytes (default 4096): a v2 header is 16 bytes plus its length field. A v1 line
   *  is always held to the spec's 107 bytes. */
  maxHeaderBytes?: number;
}

/** What one push produced: more bytes needed, or the header and the bytes that follow it. */
export type ProxyParse = { state: 'need-more' } | { state: 'done'; header: ProxyHeader; rest: Buffer };

const DEFAULT_MAX_HEADER_BYTES = 4096;
const NEED_MORE: ProxyParse = { state: 'need-more' };
const EMPTY = Buffer.alloc(0);

/** How long the header is: its full length once known, else how many bytes to collect before looking again. */
interface Extent {
  length: number;
  known: boolean;
}

export class ProxyHeaderParser {
  private readonly maxHeaderBytes: number;
  private header: ProxyHeader | null = null;
  // Header bytes of earlier pushes, only when a header arrives in pieces.
  private collected = EMPTY;
  private held = 0;

  constructor(options: ProxyHeaderParserOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    if (!Number.isInteger(this.maxHeaderBytes) || this.maxHeaderBytes < V2_FIXED_LENGTH) {
      throw new RangeError(`maxHeaderBytes must be an integer of at least ${V2_FIXED_LENGTH}, not ${this.maxHeaderBytes}`);
    }
  }

  /** Feeds bytes from the proxy; once done, every later byte is returned untouched in `rest`. */
  push(bytes: Buffer): ProxyParse {
    if (this.header !== null) return { state: 'done', header: this.header, rest: bytes };
    if (bytes.length === 0) return NEED_MORE;
    // §2.1, §2.2: senders write the header at once, so it usually sits whole in the first push: parse it in place.
    if (this.held === 0) {
      const extent = this.measure(bytes);
      if (extent.known && extent.length <= bytes.length) return this.finish(bytes.subarray(0, extent.length), bytes.subarray(extent.length));
    }
    return this.collect(bytes);
  }

  // Copies no byte past the header's end, so the rest is always a view of this push.
  private collect(bytes: Buffer): ProxyParse {
    let extent = this.measure(this.collected.subarray(0, this.held));
    let offset = 0;
    while (offset < bytes.length) {
      let end = offset + Math.min(extent.length - this.held, bytes.length - offset);
      // While the length is unknown, a LF may end a v1 line: stop there and measure again.
      if (!extent.known) {
        const lf = bytes.subarray(offset, end).indexOf(LF);
        if (lf !== -1) end = offset + lf + 1;
      }
      this.hold(bytes.subarray(offset, end), extent.length);
      offset = end;
      extent = this.measure(this.collected.subarray(0, this.held));
      if (extent.known && extent.length === this.held) return this.finish(this.collected.subarray(0, this.held), bytes.subarray(offset));
    }
    return NEED_MORE;
  }

  private hold(piece: Buffer, capacity: number): void {
    if (this.collected.length < capacity) {
      const grown = Buffer.allocUnsafe(Math.max(capacity, V1_MAX_LINE));
      this.collected.copy(grown, 0, 0, this.held);
      this.collected = grown;
    }
    piece.copy(this.collected, this.held);
    this.held += piece.length;
  }

  /** Checks the header's start as far as `view` goes, failing on the first byte no PROXY header can have. */
  private measure(view: Buffer): Extent {
    if (view.length === 0) return { length: 1, known: false };
    // §2.2 "identifying the protocol version": the v2 signature, or "PROXY" for v1; anything else is dropped.
    if (view[0] === V2_SIGNATURE[0]) return this.measureV2(view);
    if (view[0] === V1_PREFIX[0]) return measureV1(view);
    throw invalidHeader(`connection starts with byte 0x${view[0].toString(16).padStart(2, '0')}, not a PROXY header`);
  }

  private measureV2(view: Buffer): Extent {
    const signed = Math.min(view.length, V2_SIGNATURE.length);
    if (!view.subarray(0, signed).equals(V2_SIGNATURE.subarray(0, signed))) throw invalidHeader('bad PROXY v2 signature');
    if (view.length > V2_SIGNATURE.length && view[12] >> 4 !== V2_VERSION) throw invalidHeader(`PROXY v2 signature with version ${view[12] >> 4}`);
    if (view.length < V2_FIXED_LENGTH) return { length: V2_FIXED_LENGTH, known: false };
    const length = V2_FIXED_LENGTH + view.readUInt16BE(14);
    if (length > this.maxHeaderBytes) throw invalidHeader(`PROXY v2 header of ${length} bytes is over the ${this.maxHeaderBytes}-byte limit`);
    return { length, known: true };
  }

  private finish(block: Buffer, rest: Buffer): ProxyParse {
    const header = block[0] === V2_SIGNATURE[0] ? parseV2Block(block) : parseV1Line(block);
    this.header = header;
    this.collected = EMPTY;
    return { state: 'done', header, rest };
  }
}

// §2.1: "PROXY " then a line ending in CRLF within 107 bytes.
function measureV1(view: Buffer): Extent {
  const prefixed = Math.min(view.length, V1_PREFIX.length);
  if (!view.subarray(0, prefixed).equals(V1_PREFIX.subarray(0, prefixed))) throw invalidHeader('bad PROXY v1 prefix');
  const lf = view.subarray(0, V1_MAX_LINE).indexOf(LF);
  if (lf !== -1) return { length: lf + 1, known: true };
  if (view.length >= V1_MAX_LINE) throw invalidHeader(`PROXY v1 line without CRLF in its first ${V1_MAX_LINE} bytes`);
  return { length: V1_MAX_LINE, known: false };
}

// A bounds-checked read position over one AMF payload, with the limits shared by AMF0 and AMF3.

import { ProtocolError } from '../../errors';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_REFERENCES } from './value';
import type { AmfDecodeOptions } from './value';

export function malformed(message: string): ProtocolError {
  return new ProtocolError('AMF_MALFORMED', message);
}

export class AmfCursor {
  offset = 0;
  private depth = 0;
  private referencesResolved = 0;
  private readonly maxDepth: number;
  private readonly maxReferences: number;

  constructor(
    readonly bytes: Buffer,
    options: AmfDecodeOptions = {},
  ) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxReferences = options.maxReferences ?? DEFAULT_MAX_REFERENCES;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Fails before anything is read or allocated when `length` bytes are not there. */
  need(length: number, what: string): void {
    if (length > this.remaining) {
      throw malformed(`${what} needs ${length} bytes at offset ${this.offset}, ${this.remaining} left`);
    }
  }

  uint8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++];
  }

  uint16(what: string): number {
    this.need(2, what);
    const value = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int16(what: string): number {
    this.need(2, what);
    const value = this.bytes.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  uint32(what: string): number {
    this.need(4, what);
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  int32(what: string): number {
    this.need(4, what);
    const value = this.bytes.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  double(what: string): number {
    this.need(8, what);
    const value = this.bytes.readDoubleBE(this.offset);
    this.offset += 8;
    return value;
  }

  /** UTF-8 text of `length` bytes; invalid sequences become U+FFFD rather than failing. */
  utf8(length: number, what: string): string {
    this.need(length, what);
    const start = this.offset;
    this.offset += length;
    return this.bytes.toString('utf8', start, this.offset);
  }

  /** A copy of `length` bytes, so the result never pins or aliases the caller's payload. */
  copy(length: number, what: string): Buffer {
    this.need(length, what);
    const start = this.offset;
    this.offset += length;
    return Buffer.from(this.bytes.subarray(start, this.offset));
  }

  /** Called on entering an object or array; pair with leave(). */
  enter(): void {
    if (++this.depth > this.maxDepth) {
      throw new ProtocolError('AMF_TOO_DEEP', `AMF nesting deeper than ${this.maxDepth}`);
    }
  }

  leave(): void {
    this.depth--;
  }

  /** Counts one resolved reference against maxReferences. */
  resolveReference(): void {
    if (++this.referencesResolved > this.maxReferences) {
      throw malformed(`more than ${this.maxReferences} AMF references`);
    }
  }
}

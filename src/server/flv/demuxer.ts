// A push parser for an FLV byte stream (FLV spec v10.1 §E.2–E.4): bytes in, tags out.

import { ProtocolError } from '../errors';
import { FLV_HEADER_SIZE, PREVIOUS_TAG_SIZE_BYTES, decodeFlvHeader, type FlvHeader } from './header';
import { TAG_HEADER_SIZE, decodeFlvTagHeader, type FlvTag } from './tag';

export interface FlvDemuxerOptions {
  /** Largest tag body accepted; a larger DataSize fails before anything is allocated. */
  maxTagSize?: number;
}

export const DEFAULT_MAX_TAG_SIZE = 8 * 1024 * 1024;

type State = 'header' | 'header-padding' | 'previous-tag-size' | 'tag-header' | 'tag-body';

/**
 * Parses the header, then PreviousTagSize / tag pairs, from bytes pushed in pieces of any size.
 * A tag body lying whole in one pushed chunk is handed out as a subarray of that chunk
 * (no copy): callers must not reuse a chunk's memory after pushing it.
 */
export class FlvDemuxer {
  /** The file header, once its 9 bytes have arrived. */
  header: FlvHeader | null = null;

  private state: State = 'header';
  private readonly maxTagSize: number;
  private readonly fixed = Buffer.alloc(TAG_HEADER_SIZE); // header, tag header and size fields gather here
  private fixedLength = 0;
  private paddingLeft = 0;
  private lastTagSize = 0; // §E.3 PreviousTagSize0 is 0
  private tag = { type: 0, timestamp: 0, dataSize: 0 };
  private body: Buffer | null = null;
  private bodyLength = 0;
  private error: ProtocolError | null = null;

  constructor(
    private readonly onTag: (tag: FlvTag) => void,
    options: FlvDemuxerOptions = {},
  ) {
    this.maxTagSize = options.maxTagSize ?? DEFAULT_MAX_TAG_SIZE;
  }

  /** Bytes of an unfinished field or tag held back, waiting for more input. */
  get bufferedBytes(): number {
    return this.fixedLength + this.bodyLength;
  }

  /**
   * Consumes `chunk`, calling onTag for every complete tag. Malformed input throws FLV_MALFORMED,
   * and every later push throws it again; an exception from onTag propagates unchanged.
   */
  push(chunk: Buffer): void {
    if (this.error) throw this.error;
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.state) {
        case 'header':
          offset = this.gather(chunk, offset, FLV_HEADER_SIZE);
          if (this.fixedLength === FLV_HEADER_SIZE) this.onHeader();
          break;
        case 'header-padding': {
          const skipped = Math.min(this.paddingLeft, chunk.length - offset);
          offset += skipped;
          this.paddingLeft -= skipped;
          if (this.paddingLeft === 0) this.state = 'previous-tag-size';
          break;
        }
        case 'previous-tag-size':
          offset = this.gather(chunk, offset, PREVIOUS_TAG_SIZE_BYTES);
          if (this.fixedLength === PREVIOUS_TAG_SIZE_BYTES) this.onPreviousTagSize();
          break;
        case 'tag-header':
          offset = this.gather(chunk, offset, TAG_HEADER_SIZE);
          if (this.fixedLength === TAG_HEADER_SIZE) this.onTagHeader();
          break;
        case 'tag-body':
          offset = this.readBody(chunk, offset);
          break;
      }
    }
  }

  // Copies up to `size` bytes of a fixed-size field into `fixed`; returns the new offset.
  private gather(chunk: Buffer, offset: number, size: number): number {
    const count = Math.min(size - this.fixedLength, chunk.length - offset);
    chunk.copy(this.fixed, this.fixedLength, offset, offset + count);
    this.fixedLength += count;
    return offset + count;
  }

  private onHeader(): void {
    this.header = this.decode(decodeFlvHeader);
    this.paddingLeft = this.header.dataOffset - FLV_HEADER_SIZE;
    this.state = this.paddingLeft > 0 ? 'header-padding' : 'previous-tag-size';
  }

  // §E.3: each PreviousTagSize repeats the size of the tag before it (11 + DataSize), 0 at first.
  private onPreviousTagSize(): void {
    const size = this.fixed.readUInt32BE(0);
    this.fixedLength = 0;
    if (size !== this.lastTagSize) {
      throw this.fail(`FLV PreviousTagSize ${size} does not match the previous tag's ${this.lastTagSize}`);
    }
    this.state = 'tag-header';
  }

  private onTagHeader(): void {
    this.tag = this.decode(decodeFlvTagHeader);
    if (this.tag.dataSize > this.maxTagSize) {
      throw this.fail(`FLV tag DataSize ${this.tag.dataSize} exceeds the limit of ${this.maxTagSize}`);
    }
    this.state = 'tag-body';
    if (this.tag.dataSize === 0) this.emit(Buffer.alloc(0));
  }

  private readBody(chunk: Buffer, offset: number): number {
    const { dataSize } = this.tag;
    if (this.body === null) {
      if (chunk.length - offset >= dataSize) {
        this.emit(chunk.subarray(offset, offset + dataSize));
        return offset + dataSize;
      }
      this.body = Buffer.allocUnsafe(dataSize);
    }
    const count = Math.min(dataSize - this.bodyLength, chunk.length - offset);
    chunk.copy(this.body, this.bodyLength, offset, offset + count);
    this.bodyLength += count;
    if (this.bodyLength === dataSize) {
      const body = this.body;
      this.body = null;
      this.bodyLength = 0;
      this.emit(body);
    }
    return offset + count;
  }

  // Decodes the gathered fixed-size field, failing the demuxer for good if it is malformed.
  private decode<T>(decoder: (bytes: Buffer) => T): T {
    this.fixedLength = 0;
    try {
      return decoder(this.fixed);
    } catch (error) {
      this.error = error as ProtocolError; // the decoders throw FLV_MALFORMED only
      throw error;
    }
  }

  private fail(message: string): ProtocolError {
    this.error = new ProtocolError('FLV_MALFORMED', message);
    return this.error;
  }

  private emit(body: Buffer): void {
    this.lastTagSize = TAG_HEADER_SIZE + body.length;
    this.state = 'previous-tag-size';
    this.onTag({ type: this.tag.type, timestamp: this.tag.timestamp, body });
  }
}

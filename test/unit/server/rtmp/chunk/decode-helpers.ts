// Test helpers: feed a ChunkDecoder in different ways and collect what comes out.
import { ChunkDecoder } from '../../../../../src/server/rtmp/chunk';
import type { ChunkDecoderOptions } from '../../../../../src/server/rtmp/chunk';
import type { RawMessage } from '../../../../../src/server/rtmp/raw-message';
import type { AbortMessage, SetChunkSizeMessage } from '../../../../../src/server/rtmp/messages';

export interface Decoded {
  messages: RawMessage[];
  controls: (SetChunkSizeMessage | AbortMessage)[];
}

/** Bytes from spaced hex, e.g. hex('03 000064 000003 14 01000000 aabbcc'). */
export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

/** Decodes the pieces pushed one after the other. */
export function decodePieces(pieces: readonly Buffer[], options: Omit<ChunkDecoderOptions, 'onControl'> = {}): Decoded {
  const decoded: Decoded = { messages: [], controls: [] };
  const decoder = new ChunkDecoder((message) => decoded.messages.push(message), {
    ...options,
    onControl: (control) => decoded.controls.push(control),
  });
  for (const piece of pieces) decoder.push(piece);
  return decoded;
}

export function decodeWhole(bytes: Buffer, options?: Omit<ChunkDecoderOptions, 'onControl'>): Decoded {
  return decodePieces([bytes], options);
}

/** Each byte pushed on its own: every state must survive running out of input. */
export function decodeByteByByte(bytes: Buffer, options?: Omit<ChunkDecoderOptions, 'onControl'>): Decoded {
  return decodePieces(Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)), options);
}

export function decodeSplitAt(bytes: Buffer, at: number, options?: Omit<ChunkDecoderOptions, 'onControl'>): Decoded {
  return decodePieces([bytes.subarray(0, at), bytes.subarray(at)], options);
}

/** A message in a form toEqual compares by content (payload bytes as hex). */
export function plain(message: RawMessage): Omit<RawMessage, 'payload'> & { payload: string } {
  const { chunkStreamId, typeId, streamId, timestamp, payload } = message;
  return { chunkStreamId, typeId, streamId, timestamp, payload: payload.toString('hex') };
}

import { ProtocolError } from '../../errors';
import type { RawMessage } from '../raw-message';
import { MessageTypeId } from './message-type-id';

/** Aggregate Message (RTMP 1.0 §7.1.6): sub-messages in one body, kept raw; see splitAggregate. */
export interface AggregateMessage {
  type: 'aggregate';
  payload: Buffer;
}

export function decodeAggregate(payload: Buffer): AggregateMessage {
  return { type: 'aggregate', payload };
}

/** Sub-message header: type (1), length (3), timestamp (3 + 1 extension byte), stream id (3). */
const SUB_HEADER_SIZE = 11;
/** Each sub-message is followed by the size of itself, header included. */
const BACK_POINTER_SIZE = 4;

/** What an aggregate may carry: audio, video and data (RTMP 1.0 §7.1.6). */
const SUB_MESSAGE_TYPES: ReadonlySet<number> = new Set([
  MessageTypeId.Audio,
  MessageTypeId.Video,
  MessageTypeId.DataAmf0,
  MessageTypeId.DataAmf3,
]);

/**
 * The sub-messages of an aggregate, without copying their bodies. Sub-headers are read as FLV tag
 * headers (FLV spec E.4.1: the fourth timestamp byte holds bits 24-31), as FMS, librtmp and
 * nginx-rtmp write them. Per §7.1.6 the aggregate's stream id overrides the sub-messages' and
 * timestamps are shifted by (aggregate timestamp - first sub-message timestamp), modulo 2^32.
 */
export function splitAggregate(aggregate: RawMessage): RawMessage[] {
  const body = aggregate.payload;
  const messages: RawMessage[] = [];
  let offset = 0;
  let shift = 0;
  while (offset < body.length) {
    if (body.length - offset < SUB_HEADER_SIZE) {
      throw new ProtocolError('MESSAGE_MALFORMED', `aggregate sub-message header truncated at byte ${offset}`);
    }
    const typeId = body[offset];
    const length = body.readUIntBE(offset + 1, 3);
    const timestamp = (body.readUIntBE(offset + 4, 3) | (body[offset + 7] << 24)) >>> 0;
    if (!SUB_MESSAGE_TYPES.has(typeId)) {
      throw new ProtocolError('MESSAGE_MALFORMED', `aggregate carries a sub-message of type ${typeId}`);
    }
    const start = offset + SUB_HEADER_SIZE;
    const end = start + length;
    if (end + BACK_POINTER_SIZE > body.length) {
      throw new ProtocolError('MESSAGE_MALFORMED', `aggregate sub-message at byte ${offset} overruns the body`);
    }
    if (messages.length === 0) shift = aggregate.timestamp - timestamp;
    messages.push({
      chunkStreamId: aggregate.chunkStreamId,
      typeId,
      streamId: aggregate.streamId,
      timestamp: (timestamp + shift) >>> 0,
      payload: body.subarray(start, end),
    });
    offset = end + BACK_POINTER_SIZE;
  }
  return messages;
}

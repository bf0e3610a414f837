import { ProtocolError } from '../../errors';
import { expectBodyLength } from './fixed-body';

/** User control event types (RTMP 1.0 §7.1.7). */
export const UserControlEventType = {
  StreamBegin: 0,
  StreamEOF: 1,
  StreamDry: 2,
  SetBufferLength: 3,
  StreamIsRecorded: 4,
  PingRequest: 6,
  PingResponse: 7,
} as const;

/** Events whose data is just the message stream id they concern. */
export type StreamEvent = 'streamBegin' | 'streamEof' | 'streamDry' | 'streamIsRecorded';

const STREAM_EVENTS: Record<StreamEvent, number> = {
  streamBegin: UserControlEventType.StreamBegin,
  streamEof: UserControlEventType.StreamEOF,
  streamDry: UserControlEventType.StreamDry,
  streamIsRecorded: UserControlEventType.StreamIsRecorded,
};

/** User Control Message (RTMP 1.0 §6.2, events in §7.1.7). Unknown event types keep their raw data. */
export type UserControlMessage =
  | { type: 'userControl'; event: StreamEvent; streamId: number }
  | { type: 'userControl'; event: 'setBufferLength'; streamId: number; bufferLength: number }
  | { type: 'userControl'; event: 'pingRequest' | 'pingResponse'; timestamp: number }
  | { type: 'userControl'; event: 'unknown'; eventType: number; data: Buffer };

export function decodeUserControl(payload: Buffer): UserControlMessage {
  if (payload.length < 2) {
    throw new ProtocolError('MESSAGE_MALFORMED', `User Control body is ${payload.length} bytes, expected at least 2`);
  }
  const eventType = payload.readUInt16BE(0);
  switch (eventType) {
    case UserControlEventType.StreamBegin:
      return streamEvent('streamBegin', payload);
    case UserControlEventType.StreamEOF:
      return streamEvent('streamEof', payload);
    case UserControlEventType.StreamDry:
      return streamEvent('streamDry', payload);
    case UserControlEventType.StreamIsRecorded:
      return streamEvent('streamIsRecorded', payload);
    case UserControlEventType.SetBufferLength:
      expectBodyLength(payload, 10, 'User Control SetBufferLength');
      return {
        type: 'userControl',
        event: 'setBufferLength',
        streamId: payload.readUInt32BE(2),
        bufferLength: payload.readUInt32BE(6),
      };
    case UserControlEventType.PingRequest:
    case UserControlEventType.PingResponse:
      expectBodyLength(payload, 6, 'User Control Ping');
      return {
        type: 'userControl',
        event: eventType === UserControlEventType.PingRequest ? 'pingRequest' : 'pingResponse',
        timestamp: payload.readUInt32BE(2),
      };
    default:
      return { type: 'userControl', event: 'unknown', eventType, data: payload.subarray(2) };
  }
}

function streamEvent(event: StreamEvent, payload: Buffer): UserControlMessage {
  expectBodyLength(payload, 6, `User Control ${event}`);
  return { type: 'userControl', event, streamId: payload.readUInt32BE(2) };
}

export function encodeUserControl(message: UserControlMessage): Buffer {
  switch (message.event) {
    case 'setBufferLength':
      return eventBody(UserControlEventType.SetBufferLength, [message.streamId, message.bufferLength]);
    case 'pingRequest':
      return eventBody(UserControlEventType.PingRequest, [message.timestamp]);
    case 'pingResponse':
      return eventBody(UserControlEventType.PingResponse, [message.timestamp]);
    case 'unknown': {
      const payload = Buffer.allocUnsafe(2 + message.data.length);
      payload.writeUInt16BE(message.eventType, 0);
      message.data.copy(payload, 2);
      return payload;
    }
    default:
      return eventBody(STREAM_EVENTS[message.event], [message.streamId]);
  }
}

/** Event type followed by 32-bit big-endian fields. */
function eventBody(eventType: number, fields: readonly number[]): Buffer {
  const payload = Buffer.allocUnsafe(2 + 4 * fields.length);
  payload.writeUInt16BE(eventType, 0);
  fields.forEach((field, i) => payload.writeUInt32BE(field >>> 0, 2 + 4 * i));
  return payload;
}

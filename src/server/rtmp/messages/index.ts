// Typed RTMP messages (RTMP 1.0 §5.4, §6.2, §7.1): one file per message type, a tagged union on `type`.
// decodeMessage reads a RawMessage body; encodeMessage gives back the type id and body, and the caller
// adds the chunk stream id, message stream id and timestamp (they belong to the transport, not the type).
import { ProtocolError } from '../../errors';
import type { RawMessage } from '../raw-message';
import { decodeAbort, encodeAbort } from './abort';
import type { AbortMessage } from './abort';
import { decodeAcknowledgement, encodeAcknowledgement } from './acknowledgement';
import type { AcknowledgementMessage } from './acknowledgement';
import { decodeAggregate } from './aggregate';
import type { AggregateMessage } from './aggregate';
import { decodeAudio } from './audio';
import type { AudioMessage } from './audio';
import { decodeCommandAmf0, encodeCommandAmf0 } from './command-amf0';
import type { CommandMessage } from './command-amf0';
import { decodeCommandAmf3, encodeCommandAmf3 } from './command-amf3';
import { decodeDataAmf0, encodeDataAmf0 } from './data-amf0';
import type { DataMessage } from './data-amf0';
import { decodeDataAmf3, encodeDataAmf3 } from './data-amf3';
import { MessageTypeId } from './message-type-id';
import { decodeSetChunkSize, encodeSetChunkSize } from './set-chunk-size';
import type { SetChunkSizeMessage } from './set-chunk-size';
import { decodeSetPeerBandwidth, encodeSetPeerBandwidth } from './set-peer-bandwidth';
import type { SetPeerBandwidthMessage } from './set-peer-bandwidth';
import { decodeSharedObject } from './shared-object';
import type { SharedObjectMessage } from './shared-object';
import { decodeUserControl, encodeUserControl } from './user-control';
import type { UserControlMessage } from './user-control';
import { decodeVideo } from './video';
import type { VideoMessage } from './video';
import { decodeWindowAcknowledgementSize, encodeWindowAcknowledgementSize } from './window-acknowledgement-size';
import type { WindowAcknowledgementSizeMessage } from './window-acknowledgement-size';

export { MessageTypeId } from './message-type-id';
export { splitAggregate } from './aggregate';
export { UserControlEventType } from './user-control';
export type { AbortMessage } from './abort';
export type { AcknowledgementMessage } from './acknowledgement';
export type { AggregateMessage } from './aggregate';
export type { AudioMessage } from './audio';
export type { CommandMessage } from './command-amf0';
export type { DataMessage } from './data-amf0';
export type { SetChunkSizeMessage } from './set-chunk-size';
export type { BandwidthLimitType, SetPeerBandwidthMessage } from './set-peer-bandwidth';
export type { SharedObjectMessage } from './shared-object';
export type { StreamEvent, UserControlMessage } from './user-control';
export type { VideoMessage } from './video';
export type { WindowAcknowledgementSizeMessage } from './window-acknowledgement-size';

export type RtmpMessage =
  | SetChunkSizeMessage
  | AbortMessage
  | AcknowledgementMessage
  | UserControlMessage
  | WindowAcknowledgementSizeMessage
  | SetPeerBandwidthMessage
  | AudioMessage
  | VideoMessage
  | DataMessage
  | SharedObjectMessage
  | CommandMessage
  | AggregateMessage;

/** A typed message from a raw one. Unknown type ids fail with MESSAGE_UNKNOWN_TYPE, bad bodies with MESSAGE_MALFORMED. */
export function decodeMessage(raw: RawMessage): RtmpMessage {
  const { payload } = raw;
  switch (raw.typeId) {
    case MessageTypeId.SetChunkSize:
      return decodeSetChunkSize(payload);
    case MessageTypeId.Abort:
      return decodeAbort(payload);
    case MessageTypeId.Acknowledgement:
      return decodeAcknowledgement(payload);
    case MessageTypeId.UserControl:
      return decodeUserControl(payload);
    case MessageTypeId.WindowAcknowledgementSize:
      return decodeWindowAcknowledgementSize(payload);
    case MessageTypeId.SetPeerBandwidth:
      return decodeSetPeerBandwidth(payload);
    case MessageTypeId.Audio:
      return decodeAudio(payload);
    case MessageTypeId.Video:
      return decodeVideo(payload);
    case MessageTypeId.DataAmf3:
      return decodeDataAmf3(payload);
    case MessageTypeId.SharedObjectAmf3:
      return decodeSharedObject(payload, 'amf3');
    case MessageTypeId.CommandAmf3:
      return decodeCommandAmf3(payload);
    case MessageTypeId.DataAmf0:
      return decodeDataAmf0(payload);
    case MessageTypeId.SharedObjectAmf0:
      return decodeSharedObject(payload, 'amf0');
    case MessageTypeId.CommandAmf0:
      return decodeCommandAmf0(payload);
    case MessageTypeId.Aggregate:
      return decodeAggregate(payload);
    default:
      throw new ProtocolError('MESSAGE_UNKNOWN_TYPE', `unknown message type id ${raw.typeId}`);
  }
}

/** The type id and body of a typed message; raw bodies (media, shared objects, aggregates) are returned as is. */
export function encodeMessage(message: RtmpMessage): { typeId: MessageTypeId; payload: Buffer } {
  switch (message.type) {
    case 'setChunkSize':
      return { typeId: MessageTypeId.SetChunkSize, payload: encodeSetChunkSize(message) };
    case 'abort':
      return { typeId: MessageTypeId.Abort, payload: encodeAbort(message) };
    case 'acknowledgement':
      return { typeId: MessageTypeId.Acknowledgement, payload: encodeAcknowledgement(message) };
    case 'userControl':
      return { typeId: MessageTypeId.UserControl, payload: encodeUserControl(message) };
    case 'windowAcknowledgementSize':
      return { typeId: MessageTypeId.WindowAcknowledgementSize, payload: encodeWindowAcknowledgementSize(message) };
    case 'setPeerBandwidth':
      return { typeId: MessageTypeId.SetPeerBandwidth, payload: encodeSetPeerBandwidth(message) };
    case 'audio':
      return { typeId: MessageTypeId.Audio, payload: message.payload };
    case 'video':
      return { typeId: MessageTypeId.Video, payload: message.payload };
    case 'data':
      return message.encoding === 'amf3'
        ? { typeId: MessageTypeId.DataAmf3, payload: encodeDataAmf3(message) }
        : { typeId: MessageTypeId.DataAmf0, payload: encodeDataAmf0(message) };
    case 'sharedObject':
      return {
        typeId: message.encoding === 'amf3' ? MessageTypeId.SharedObjectAmf3 : MessageTypeId.SharedObjectAmf0,
        payload: message.payload,
      };
    case 'command':
      return message.encoding === 'amf3'
        ? { typeId: MessageTypeId.CommandAmf3, payload: encodeCommandAmf3(message) }
        : { typeId: MessageTypeId.CommandAmf0, payload: encodeCommandAmf0(message) };
    case 'aggregate':
      return { typeId: MessageTypeId.Aggregate, payload: message.payload };
  }
}

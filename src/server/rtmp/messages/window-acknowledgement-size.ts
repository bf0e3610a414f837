import { expectBodyLength, encodeUint32Body } from './fixed-body';

/** Window Acknowledgement Size (RTMP 1.0 §5.4.4): send an Acknowledgement every `size` bytes. */
export interface WindowAcknowledgementSizeMessage {
  type: 'windowAcknowledgementSize';
  size: number;
}

export function decodeWindowAcknowledgementSize(payload: Buffer): WindowAcknowledgementSizeMessage {
  expectBodyLength(payload, 4, 'Window Acknowledgement Size');
  return { type: 'windowAcknowledgementSize', size: payload.readUInt32BE(0) };
}

export function encodeWindowAcknowledgementSize(message: WindowAcknowledgementSizeMessage): Buffer {
  return encodeUint32Body(message.size);
}

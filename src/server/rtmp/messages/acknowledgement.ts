import { expectBodyLength, encodeUint32Body } from './fixed-body';

/** Acknowledgement (RTMP 1.0 §5.4.3): bytes received so far, modulo 2^32. */
export interface AcknowledgementMessage {
  type: 'acknowledgement';
  sequenceNumber: number;
}

export function decodeAcknowledgement(payload: Buffer): AcknowledgementMessage {
  expectBodyLength(payload, 4, 'Acknowledgement');
  return { type: 'acknowledgement', sequenceNumber: payload.readUInt32BE(0) };
}

export function encodeAcknowledgement(message: AcknowledgementMessage): Buffer {
  return encodeUint32Body(message.sequenceNumber);
}

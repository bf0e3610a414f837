import { ProtocolError } from '../../errors';
import { expectBodyLength } from './fixed-body';

/** RTMP 1.0 §5.4.5 limit types, in wire order 0, 1, 2. */
const LIMIT_TYPES = ['hard', 'soft', 'dynamic'] as const;

export type BandwidthLimitType = (typeof LIMIT_TYPES)[number];

/** Set Peer Bandwidth (RTMP 1.0 §5.4.5): limit the peer's output bandwidth. */
export interface SetPeerBandwidthMessage {
  type: 'setPeerBandwidth';
  /** Window size in bytes. */
  size: number;
  limitType: BandwidthLimitType;
}

export function decodeSetPeerBandwidth(payload: Buffer): SetPeerBandwidthMessage {
  expectBodyLength(payload, 5, 'Set Peer Bandwidth');
  const limitType = LIMIT_TYPES[payload[4]];
  if (limitType === undefined) {
    throw new ProtocolError('MESSAGE_MALFORMED', `Set Peer Bandwidth limit type ${payload[4]} is not 0, 1 or 2`);
  }
  return { type: 'setPeerBandwidth', size: payload.readUInt32BE(0), limitType };
}

export function encodeSetPeerBandwidth(message: SetPeerBandwidthMessage): Buffer {
  const payload = Buffer.allocUnsafe(5);
  payload.writeUInt32BE(message.size >>> 0, 0);
  payload[4] = LIMIT_TYPES.indexOf(message.limitType);
  return payload;
}

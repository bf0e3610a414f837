// Message type ids: RTMP 1.0 §5.4 (protocol control), §6.2 (user control), §7.1 (the rest).
export const MessageTypeId = {
  SetChunkSize: 1,
  Abort: 2,
  Acknowledgement: 3,
  UserControl: 4,
  WindowAcknowledgementSize: 5,
  SetPeerBandwidth: 6,
  Audio: 8,
  Video: 9,
  DataAmf3: 15,
  SharedObjectAmf3: 16,
  CommandAmf3: 17,
  DataAmf0: 18,
  SharedObjectAmf0: 19,
  CommandAmf0: 20,
  Aggregate: 22,
} as const;

export type MessageTypeId = (typeof MessageTypeId)[keyof typeof MessageTypeId];

/** Audio Message (RTMP 1.0 §7.1.4): an FLV audio tag body, Enhanced RTMP FourCC bodies included, kept as is. */
export interface AudioMessage {
  type: 'audio';
  payload: Buffer;
}

export function decodeAudio(payload: Buffer): AudioMessage {
  return { type: 'audio', payload };
}

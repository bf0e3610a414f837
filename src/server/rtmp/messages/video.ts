/** Video Message (RTMP 1.0 §7.1.5): an FLV video tag body, Enhanced RTMP FourCC bodies included, kept as is. */
export interface VideoMessage {
  type: 'video';
  payload: Buffer;
}

export function decodeVideo(payload: Buffer): VideoMessage {
  return { type: 'video', payload };
}

// Typed encoder errors with stable codes: what the caller or the platform got wrong, never a crash.

export type EncoderErrorCode =
  | 'FFMPEG_NOT_FOUND' // no FFMPEG_BIN, no override and no ffmpeg-static binary for this platform
  | 'ARGUMENT_INVALID' // a builder option ffmpeg would misread (bad URL, a connect field with a space, copy of a non-H.264 input)
  | 'ENCODER_STOPPED' // write() after stop(): the caller keeps feeding a finished encoder
  | 'CAPTURE_INVALID' // the capture bytes are not Matroska/EBML as RFC 8794 frames it (bad VINT, no EBML header first, unknown size where none may be)
  | 'CAPTURE_HEADER_TOO_LARGE'; // no Cluster within maxHeaderBytes: the stream header cannot be kept for a restart

export class EncoderError extends Error {
  override readonly name = 'EncoderError';
  constructor(
    readonly code: EncoderErrorCode,
    message: string,
  ) {
    super(message);
  }
}

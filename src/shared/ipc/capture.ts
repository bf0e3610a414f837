// Camera to server: the renderer's MediaRecorder chunks go to an ffmpeg that publishes to the embedded server.
import { z } from 'zod';
import { event, request } from './define';

export type EncoderState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed';

export interface EncoderProgress {
  bitrateKbps: number | null;
  fps: number | null;
  speed: number | null;
  droppedFrames: number;
  duplicatedFrames: number;
  outTimeMs: number | null;
}

export interface EncoderStatus {
  /** Which encoder: the camera capture or the test bench. */
  source: 'capture' | 'test-bench';
  state: EncoderState;
  /** Stream copy of the recorder's H.264, or x264. */
  video: 'copy' | 'x264' | null;
  /** Where it publishes, without secrets (rtmp://127.0.0.1:1935/live/studio). */
  target: string | null;
  restarts: number;
  /** The restart under way. */
  attempt?: number;
  retryInMs?: number;
  /** Why the last run failed, in words for the user, and what to try. */
  reason?: string;
  hint?: string;
  progress: EncoderProgress | null;
}

/** Chunks in flight the renderer may have before it waits: the encoder's stdin is the only buffer. */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

export const captureRequests = {
  /** Starts the encoder for a recording with this MIME type; chunks follow. */
  'capture.start': request<{ sessionId: string; status: EncoderStatus }>()(
    z
      .object({
        mimeType: z.string().min(1).max(256),
        width: z.number().int().min(1).max(7680),
        height: z.number().int().min(1).max(4320),
        frameRate: z.number().min(1).max(240),
      })
      .strict(),
  ),
  /** One MediaRecorder chunk; resolves once the encoder has taken it (backpressure), rejects if the session ended. */
  'capture.chunk': request<{ bufferedBytes: number }>()(
    z.object({ sessionId: z.string().max(64), sequence: z.number().int().nonnegative(), bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_CHUNK_BYTES, 'chunk too large') }).strict(),
  ),
  'capture.stop': request<EncoderStatus>()(z.object({ sessionId: z.string().max(64) }).strict()),
  /** Publishes ffmpeg's test pattern with tone through the full authenticated path. */
  'testBench.start': request<{ status: EncoderStatus; app: string; stream: string }>()(z.object({ secure: z.boolean() }).strict()),
  'testBench.stop': request<EncoderStatus>()(z.undefined()),
  /** A short-lived signed play URL for the in-app preview. */
  'preview.url': request<{ url: string; expiresAt: number }>()(
    z.object({ app: z.string().min(1).max(128), stream: z.string().min(1).max(128), transport: z.enum(['ws-flv', 'http-flv']) }).strict(),
  ),
};

export const captureEvents = {
  'encoder.status': event<EncoderStatus>(),
};

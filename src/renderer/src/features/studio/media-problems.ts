// What a failed camera or microphone request means for the user, and what to try.
import type { Problem } from './go-live-machine';

const BY_NAME: Record<string, Problem> = {
  NotAllowedError: {
    code: 'NOT_ALLOWED',
    message: 'Camera or microphone access was refused.',
    hint: 'Allow Airlock Studio to use the camera and microphone in your system’s privacy settings, then try again.',
  },
  NotFoundError: {
    code: 'NOT_FOUND',
    message: 'No camera was found.',
    hint: 'Connect a camera and try again, or run the test bench on the Preview screen to check the server without one.',
  },
  NotReadableError: {
    code: 'CONFLICT',
    message: 'The camera or microphone is in use or not responding.',
    hint: 'Close other apps that use the camera (video calls, OBS), or pick another device, then try again.',
  },
  OverconstrainedError: {
    code: 'INVALID_INPUT',
    message: 'The camera cannot provide the chosen resolution or frame rate.',
    hint: 'Choose a lower resolution or frame rate, or another camera.',
  },
  AbortError: {
    code: 'INTERNAL',
    message: 'The camera could not be started.',
    hint: 'Try again, or pick another camera.',
  },
};

/** A Problem for a getUserMedia failure (a DOMException by name), or for anything else by its message. */
export function mediaProblem(error: unknown): Problem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  const known = BY_NAME[name];
  if (known !== undefined) return known;
  const message = error instanceof Error && error.message ? error.message : String(error);
  return { code: 'INTERNAL', message: `The camera could not be opened: ${message}`, hint: 'Try again, or pick another camera.' };
}

// Errors that cross the IPC boundary: a stable code, a message for the user, and what to try.

export type StudioErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_REQUEST'
  | 'NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SERVER_NOT_RUNNING'
  | 'SERVER_FAILED'
  | 'CERTIFICATE_INVALID'
  | 'ENCODER_FAILED'
  | 'CAPTURE_ENDED'
  | 'SETTINGS_INVALID'
  | 'SECRET_STORAGE'
  | 'INTERNAL';

export interface StudioErrorBody {
  code: StudioErrorCode;
  message: string;
  hint?: string;
}

export class StudioError extends Error {
  readonly code: StudioErrorCode;
  readonly hint: string | undefined;

  constructor(code: StudioErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.hint = hint;
  }

  toBody(): StudioErrorBody {
    return this.hint === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, hint: this.hint };
  }
}

/** A request's answer as it crosses IPC: Electron keeps only the message of a thrown error, so errors travel as values. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: StudioErrorBody };

/** The renderer's side: the value, or the StudioError it stands for. */
export function unwrapReply<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value;
  throw new StudioError(reply.error.code, reply.error.message, reply.error.hint);
}

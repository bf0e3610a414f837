// Turns whatever a failed request threw into the StudioError shape the UI shows: what happened, and what to try.
import type { StudioErrorBody, StudioErrorCode } from '../../../shared/ipc';

const isCode = (value: unknown): value is StudioErrorCode => typeof value === 'string' && value.length > 0;

/** A StudioError (or its body) keeps its code and hint; anything else becomes INTERNAL with its message. */
export function toErrorBody(error: unknown): StudioErrorBody {
  if (typeof error === 'object' && error !== null) {
    const { code, message, hint } = error as { code?: unknown; message?: unknown; hint?: unknown };
    const text = typeof message === 'string' && message.length > 0 ? message : 'Something went wrong.';
    const body: StudioErrorBody = { code: isCode(code) ? code : 'INTERNAL', message: text };
    return typeof hint === 'string' && hint.length > 0 ? { ...body, hint } : body;
  }
  return { code: 'INTERNAL', message: String(error) };
}

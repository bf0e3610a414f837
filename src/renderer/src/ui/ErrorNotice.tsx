// An error as the user reads it: what happened, what to try (the StudioError's hint, or a sensible default), and a
// Try again button where the failed thing can simply be asked for again.
import type { StudioErrorBody, StudioErrorCode } from '../../../shared/ipc';

const DEFAULT_HINTS: Partial<Record<StudioErrorCode, string>> = {
  SERVER_NOT_RUNNING: 'Start the server on the Server screen, then try again.',
  SERVER_FAILED: 'Check that no other program uses the server ports, then start it again.',
  CERTIFICATE_INVALID: 'Choose a PEM certificate and the private key that belongs to it.',
  INVALID_INPUT: 'Check the values you entered and try again.',
  SECRET_STORAGE: "Your system's secret storage is unavailable; unlock your keyring or sign in again, then retry.",
  INTERNAL: 'Try again. If it keeps happening, restart Airlock Studio.',
};

interface ErrorNoticeProps {
  error: StudioErrorBody | null;
  title?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}

export function ErrorNotice({ error, title, onRetry, onDismiss }: ErrorNoticeProps) {
  if (!error) return null;
  const hint = error.hint ?? DEFAULT_HINTS[error.code];
  return (
    <div className="notice notice-error" role="alert">
      <div>
        <p className="notice-title">
          {title ? `${title}: ` : ''}
          {error.message}
        </p>
        {hint && <p className="notice-hint">{hint}</p>}
      </div>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
      {onDismiss && (
        <button type="button" className="button-plain" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

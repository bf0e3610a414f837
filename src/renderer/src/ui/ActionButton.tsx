// A button that shows progress while its action runs. Busy or disabled, it stays focusable (aria-disabled) and ignores
// presses: a button that turns itself off when pressed (Go live, Stop, Save) keeps the keyboard focus where it was.
import type { ButtonHTMLAttributes, MouseEvent } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'plain';

interface ActionButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  busy?: boolean;
  variant?: ButtonVariant;
}

export function ActionButton({ busy = false, disabled = false, variant = 'secondary', className, onClick, children, type = 'button', ...rest }: ActionButtonProps) {
  const off = busy || disabled;
  const guarded = (event: MouseEvent<HTMLButtonElement>) => {
    if (off) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  };
  return (
    <button
      {...rest}
      type={type}
      className={[`button-${variant}`, className].filter(Boolean).join(' ')}
      aria-disabled={off || undefined}
      aria-busy={busy || undefined}
      onClick={guarded}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

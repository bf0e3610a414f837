// Copies a text to the clipboard (fetching it first if it is a secret) and confirms visibly with "Copied".
import { useEffect, useRef, useState } from 'react';
import type { StudioErrorBody } from '../../../shared/ipc';
import { toErrorBody } from './errors';

const CONFIRM_MS = 2000;

interface CopyButtonProps {
  /** The button's accessible name, e.g. "Copy OBS Stream Key". */
  label: string;
  /** The text, or a function that fetches it (keys.reveal) only when the user copies. */
  text: string | (() => Promise<string>);
  disabled?: boolean;
}

export function CopyButton({ label, text, disabled }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copying' | 'copied'>('idle');
  const [error, setError] = useState<StudioErrorBody | null>(null);
  const reset = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(reset.current), []);

  const copy = async () => {
    if (state === 'copying') return;
    clearTimeout(reset.current);
    setState('copying');
    setError(null);
    try {
      const value = typeof text === 'string' ? text : await text();
      await navigator.clipboard.writeText(value);
      setState('copied');
      reset.current = setTimeout(() => setState('idle'), CONFIRM_MS);
    } catch (failure) {
      setError(toErrorBody(failure));
      setState('idle');
    }
  };

  return (
    <span className="copy">
      <button type="button" className="button-secondary button-small" disabled={disabled} aria-busy={state === 'copying' || undefined} onClick={copy}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {state === 'copied' ? 'Copied' : ''}
      </span>
      {error && (
        <span role="alert" className="field-error">
          Could not copy: {error.message}
          {error.hint ? ` ${error.hint}` : ''}
        </span>
      )}
    </span>
  );
}

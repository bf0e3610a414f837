// Runs a user's action (a button, a form) with its progress and its error, so every control can show both.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StudioErrorBody } from '../../../shared/ipc';
import { toErrorBody } from './errors';

export interface Action {
  pending: boolean;
  error: StudioErrorBody | null;
  /** Resolves with the task's value, or undefined when it failed (the error is then in `error`). */
  run: <T>(task: () => Promise<T>) => Promise<T | undefined>;
  clearError: () => void;
}

export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<StudioErrorBody | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async <T>(task: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    try {
      return await task();
    } catch (failure) {
      if (mounted.current) setError(toErrorBody(failure));
      return undefined;
    } finally {
      if (mounted.current) setPending(false);
    }
  }, []);

  const clearError = useCallback(() => setError(null), []);
  return { pending, error, run, clearError };
}

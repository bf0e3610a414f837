// Loads one request's answer when a component mounts (and again on reload or when its input changes).
import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import type { RequestInput, RequestName, RequestOutput, StudioErrorBody } from '../../../shared/ipc';
import { airlock } from '../lib/airlock';
import { toErrorBody } from './errors';

export interface RequestState<T> {
  data: T | undefined;
  error: StudioErrorBody | null;
  loading: boolean;
  reload: () => void;
  /** Replace the answer with a newer one (from an event or a mutation's answer). */
  setData: Dispatch<SetStateAction<T | undefined>>;
}

type InputArgs<N extends RequestName> = RequestInput<N> extends undefined ? [] : [RequestInput<N>];

export function useRequest<N extends RequestName>(name: N, ...input: InputArgs<N>): RequestState<RequestOutput<N>> {
  const [data, setData] = useState<RequestOutput<N> | undefined>(undefined);
  const [error, setError] = useState<StudioErrorBody | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(input[0] ?? null);

  useEffect(() => {
    let current = true;
    setLoading(true);
    const args = (key === 'null' ? [] : [JSON.parse(key)]) as InputArgs<N>;
    airlock()
      .invoke(name, ...args)
      .then(
        (value) => {
          if (!current) return;
          setData(value);
          setError(null);
        },
        (failure: unknown) => current && setError(toErrorBody(failure)),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [name, key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

// Subscribes a component to one event from main for as long as it is mounted.
import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../../shared/ipc';
import { airlock } from '../lib/airlock';

/** The listener may change every render; the subscription is made once per event name. */
export function useEvent<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => airlock().on(name, (payload) => latest.current(payload)), [name]);
}

// The Studio screen's view of the window's capture session: its snapshot, re-rendered on every change, and its actions.
import { useEffect, useSyncExternalStore } from 'react';
import { airlock } from '../../lib/airlock';
import { studioSession, type StudioSession, type StudioSnapshot } from './studio-session';

export function useStudioSession(): { state: StudioSnapshot; session: StudioSession } {
  const session = studioSession(airlock());
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);
  useEffect(() => session.attach(), [session]);
  return { state, session };
}

// The Studio screen's view of the window's capture session: its snapshot, re-rendered on every change, and its actions.
// The camera preview runs while the screen is shown (`shown`); a live stream runs on whatever screen is shown.
import { useEffect, useSyncExternalStore } from 'react';
import { airlock } from '../../lib/airlock';
import { studioSession, type StudioSession, type StudioSnapshot } from './studio-session';

export function useStudioSession(shown: boolean): { state: StudioSnapshot; session: StudioSession } {
  const session = studioSession(airlock());
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);
  useEffect(() => (shown ? session.attach() : undefined), [session, shown]);
  return { state, session };
}

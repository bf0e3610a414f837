// The server's state as main last reported it: asked once, then kept current by server.status events.
import type { ServerStatus } from '../../../../shared/ipc';
import { useEvent } from '../../ui/useEvent';
import { useRequest, type RequestState } from '../../ui/useRequest';

export function useServerStatus(): RequestState<ServerStatus> {
  const state = useRequest('server.status');
  useEvent('server.status', state.setData);
  return state;
}

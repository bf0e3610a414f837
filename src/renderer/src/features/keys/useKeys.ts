// Users, stream keys, issued credentials and signing keys, kept current by keys.changed.
import type { KeysSnapshot } from '../../../../shared/ipc';
import { useEvent } from '../../ui/useEvent';
import { useRequest, type RequestState } from '../../ui/useRequest';

export function useKeys(): RequestState<KeysSnapshot> {
  const state = useRequest('keys.list');
  useEvent('keys.changed', state.setData);
  return state;
}

// The Keys and tokens screen's requests, each answered by the KeysService.
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { KeysService } from './keys-service';

type KeysRequest = Extract<keyof RequestHandlers, `keys.${string}`>;

export function keysHandlers(keys: KeysService): Pick<RequestHandlers, KeysRequest> {
  return {
    'keys.list': async () => keys.snapshot(),
    'keys.addUser': (input) => keys.addUser(input),
    'keys.setPassword': (input) => keys.setPassword(input),
    'keys.removeUser': (input) => keys.removeUser(input),
    'keys.createStreamKey': (input) => keys.createStreamKey(input),
    'keys.revokeStreamKey': (input) => keys.revokeStreamKey(input),
    'keys.issueCredential': (input) => keys.issueCredential(input),
    'keys.revokeCredential': (input) => keys.revokeCredential(input),
    'keys.rotateSigningKey': (input) => keys.rotateSigningKey(input),
    'keys.reveal': async (input) => keys.reveal(input),
  };
}

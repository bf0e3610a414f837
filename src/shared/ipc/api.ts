// The renderer's typed API over the bridge: answers unwrapped, error replies turned back into StudioErrors.
import type { AirlockApi, AirlockBridge, RequestName, RequestOutput } from './contract';
import { unwrapReply, type Reply } from './errors';

export function airlockApi(bridge: AirlockBridge): AirlockApi {
  return {
    invoke: async <N extends RequestName>(name: N, ...input: unknown[]) => unwrapReply((await bridge.request(name, input[0])) as Reply<RequestOutput<N>>),
    on: (name, listener) => bridge.on(name, listener),
  };
}

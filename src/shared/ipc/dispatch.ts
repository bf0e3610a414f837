// Main's side of a request: check the name and the input against the contract, run the handler, answer with a Reply.
import { requests, type RequestHandlers, type RequestName } from './contract';
import { StudioError, type Reply } from './errors';

const isRequestName = (name: unknown): name is RequestName => typeof name === 'string' && Object.hasOwn(requests, name);

/** Runs one request from an untrusted caller; never throws, every failure is a typed error reply. */
export async function dispatch(handlers: RequestHandlers, name: unknown, input: unknown): Promise<Reply<unknown>> {
  try {
    if (!isRequestName(name)) throw new StudioError('UNKNOWN_REQUEST', `no request named ${JSON.stringify(name)?.slice(0, 64)}`);
    const parsed = requests[name].input.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StudioError('INVALID_INPUT', `${name}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
    }
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof StudioError) return { ok: false, error: error.toBody() };
    return { ok: false, error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } };
  }
}

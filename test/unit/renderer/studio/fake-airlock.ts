// A fake window.airlock (the preload's bridge) for renderer component tests: scripted request handlers, recorded calls,
// events pushed by the test.
import { StudioError, type AirlockBridge, type EventName, type EventPayload, type Reply, type RequestInput, type RequestName, type RequestOutput } from '../../../../src/shared/ipc';

type Handler<N extends RequestName> = (input: RequestInput<N>) => RequestOutput<N> | Promise<RequestOutput<N>>;

export interface RecordedCall {
  name: RequestName;
  input: unknown;
}

export class FakeAirlock implements AirlockBridge {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<RequestName, (input: unknown) => unknown>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  /** Answers `name` with `handler` from now on; a request without a handler fails as UNKNOWN_REQUEST. */
  handle<N extends RequestName>(name: N, handler: Handler<N>): this {
    this.handlers.set(name, handler as (input: unknown) => unknown);
    return this;
  }

  /** Answers as the preload does: a Reply, with a handler's StudioError (or any other throw, as INTERNAL) as an error reply. */
  async request(name: RequestName, input: unknown): Promise<Reply<unknown>> {
    this.calls.push({ name, input });
    const handler = this.handlers.get(name);
    if (handler === undefined) return { ok: false, error: { code: 'UNKNOWN_REQUEST', message: `the fake has no handler for ${name}` } };
    try {
      return { ok: true, value: await handler(input) };
    } catch (error) {
      return { ok: false, error: error instanceof StudioError ? error.toBody() : { code: 'INTERNAL', message: String(error) } };
    }
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) listener(payload);
  }

  /** The names of the requests made so far, in order. */
  names(): RequestName[] {
    return this.calls.map((call) => call.name);
  }

  inputsOf<N extends RequestName>(name: N): RequestInput<N>[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input as RequestInput<N>);
  }
}

/** A promise the test settles by hand: a slow encoder, a server that answers later. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

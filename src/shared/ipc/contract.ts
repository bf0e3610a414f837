// The one IPC contract: every request the renderer may make and every event main may push, by name.
import type { z } from 'zod';
import { appEvents, appRequests } from './app';
import { captureEvents, captureRequests } from './capture';
import type { EventSpec, RequestSpec } from './define';
import type { Reply } from './errors';
import { keysEvents, keysRequests } from './keys';
import { serverEvents, serverRequests } from './server';

export const requests = { ...appRequests, ...serverRequests, ...keysRequests, ...captureRequests };
export const events = { ...appEvents, ...serverEvents, ...keysEvents, ...captureEvents };

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;

type InputSchemaOf<N extends RequestName> = (typeof requests)[N] extends RequestSpec<infer I, unknown> ? I : never;
/** What the renderer passes (defaults may be left out). */
export type RequestInput<N extends RequestName> = z.input<InputSchemaOf<N>>;
/** What a handler receives: validated, defaults filled in. */
export type HandlerInput<N extends RequestName> = z.output<InputSchemaOf<N>>;
export type RequestOutput<N extends RequestName> = (typeof requests)[N] extends RequestSpec<z.ZodType, infer O> ? O : never;
export type EventPayload<N extends EventName> = (typeof events)[N] extends EventSpec<infer P> ? P : never;

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];

/** Main's side: one function per request. */
export type RequestHandlers = { [N in RequestName]: (input: HandlerInput<N>) => Promise<RequestOutput<N>> };

/**
 * What the preload puts on `window.airlock`: plain data both ways. A rejected promise would not do, as an Error
 * crossing Electron's context bridge keeps only its message (electron/electron#25596), so answers are Replies.
 */
export interface AirlockBridge {
  request(name: RequestName, input: unknown): Promise<Reply<unknown>>;
  /** Returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

/** The renderer's typed view of the bridge (see airlockApi): invoke a request, subscribe to an event. */
export interface AirlockApi {
  /** Resolves with the answer or rejects with a StudioError. */
  invoke<N extends RequestName>(name: N, ...input: RequestInput<N> extends undefined ? [] : [RequestInput<N>]): Promise<RequestOutput<N>>;
  /** Returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

// The building blocks of the IPC contract: a request is a validated input and a typed answer, an event a typed payload.
import type { z } from 'zod';

/** A request the renderer may make: its input is checked at run time in main, its output is typed. */
export interface RequestSpec<Input extends z.ZodType, Output> {
  readonly input: Input;
  /** Phantom: carries the answer's type only. */
  readonly output?: Output;
}

/** An event main pushes to the renderer. */
export interface EventSpec<Payload> {
  /** Phantom: carries the payload's type only. */
  readonly payload?: Payload;
}

export const request = <Output>() => <Input extends z.ZodType>(input: Input): RequestSpec<Input, Output> => ({ input });

export const event = <Payload>(): EventSpec<Payload> => ({});

import { expect } from 'vitest';
import { ProtocolError, type ErrorCode } from '../../src/server/errors';

/** Asserts that `run` throws a ProtocolError with `code`, and nothing else; returns it for more checks. */
export function expectProtocolError(run: () => unknown, code: ErrorCode): ProtocolError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ProtocolError);
  expect((thrown as ProtocolError).code).toBe(code);
  return thrown as ProtocolError;
}

// Typed errors of the server host: what went wrong between a parent and its server process, with a stable code.

export type HostErrorCode =
  | 'HOST_MESSAGE_INVALID' // a message that is not one of the protocol's, or a reply whose result has the wrong shape
  | 'HOST_NOT_RUNNING' // no live server process to ask: not started, crashed, restarting, stopped, or it died mid-request
  | 'HOST_TIMEOUT' // the server process did not answer in time
  | 'HOST_START_FAILED' // the media server could not start (a port in use, an address that does not exist)
  | 'HOST_STATE' // a request that does not fit the current state: start twice, stats before start
  | 'HOST_FATAL'; // the server process hit an error nothing handled and is ending

export const HOST_ERROR_CODES: ReadonlySet<string> = new Set<HostErrorCode>(['HOST_MESSAGE_INVALID', 'HOST_NOT_RUNNING', 'HOST_TIMEOUT', 'HOST_START_FAILED', 'HOST_STATE', 'HOST_FATAL']);

export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    readonly code: HostErrorCode,
    message: string,
  ) {
    super(message);
  }
}

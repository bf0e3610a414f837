// Makes sure the embedded server runs before anything publishes to it: start it if needed and wait until it listens.
import { StudioError, type AirlockApi, type ServerStatus } from '../../../../shared/ipc';

const START_TIMEOUT_MS = 20_000;

const settled = (status: ServerStatus): boolean => status.state !== 'starting' && status.state !== 'restarting';

function notRunning(status: ServerStatus): StudioError {
  const why = status.reason ? `: ${status.reason}` : ` (it is ${status.state})`;
  return new StudioError('SERVER_NOT_RUNNING', `The server did not start${why}.`, 'Open the Server screen to see why, fix it there, then try again.');
}

/** Resolves with the first settled status the server announces (running, crashed, stopped), or rejects after timeoutMs. */
function nextSettledStatus(api: AirlockApi, timeoutMs: number): { promise: Promise<ServerStatus>; cancel: () => void } {
  let off = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<ServerStatus>((resolve, reject) => {
    off = api.on('server.status', (status) => settled(status) && resolve(status));
    timer = setTimeout(
      () => reject(new StudioError('SERVER_NOT_RUNNING', `The server did not start within ${timeoutMs / 1000} s.`, 'Open the Server screen to see what it is doing, then try again.')),
      timeoutMs,
    );
  });
  return {
    promise,
    cancel: () => {
      clearTimeout(timer);
      off();
    },
  };
}

/** The server's status once it runs; throws a StudioError when it crashes, stops or takes too long to start. */
export async function ensureServerRunning(api: AirlockApi, timeoutMs = START_TIMEOUT_MS): Promise<ServerStatus> {
  const current = await api.invoke('server.status');
  if (current.state === 'running') return current;
  // Listen before asking, so a server that settles while server.start answers is not missed.
  const announced = nextSettledStatus(api, timeoutMs);
  try {
    const started = await api.invoke('server.start');
    const status = settled(started) ? started : await announced.promise;
    if (status.state !== 'running') throw notRunning(status);
    return status;
  } finally {
    announced.cancel();
  }
}

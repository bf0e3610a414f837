// What went wrong with the server process, in words for the user, with what to try.
import { HostError } from '../../server/host/host-error';
import { StudioError } from '../../shared/ipc/errors';

/** The ports the server was asked to listen on, to tell which setting a port problem is about. */
export interface ListenerPorts {
  rtmp: number | null;
  http: number | null;
  rtmps: number | null;
}

export interface Explained {
  message: string;
  hint?: string;
}

const SETTING_NAMES: Record<keyof ListenerPorts, string> = { rtmp: 'RTMP port', http: 'HTTP port', rtmps: 'RTMPS port' };

function settingFor(port: number, ports: ListenerPorts): string | null {
  const key = (Object.keys(SETTING_NAMES) as (keyof ListenerPorts)[]).find((name) => ports[name] === port);
  return key === undefined ? null : SETTING_NAMES[key];
}

/** Turns a reason the server host gave (a listen error, how the process ended, a give-up) into words and a hint. */
export function explainFailure(reason: string, ports: ListenerPorts): Explained {
  const port = Number(/:(\d+)\s*$/.exec(reason)?.[1] ?? Number.NaN);
  const setting = Number.isInteger(port) ? settingFor(port, ports) : null;
  if (reason.includes('EADDRINUSE')) {
    return { message: `Another program uses port ${port}`, hint: setting ? `Change the ${setting} in Server settings.` : 'Close the program that uses it, or change the ports in Server settings.' };
  }
  if (reason.includes('EACCES')) return { message: `Port ${port} needs administrator rights`, hint: `Choose a port above 1023${setting ? ` for the ${setting}` : ''} in Server settings.` };
  if (reason.includes('EADDRNOTAVAIL')) return { message: 'The server cannot listen on this network address', hint: 'Turn network access off in Server settings, or check your network connection.' };
  const killed = /^killed by (\w+)$/.exec(reason);
  if (killed) return { message: `The server process was stopped from outside (${killed[1]})` };
  const exited = /^exited with code (-?\d+)$/.exec(reason);
  if (exited) return { message: `The server process ended unexpectedly (code ${exited[1]})` };
  const fatal = /^HOST_FATAL: (.*)$/s.exec(reason);
  if (fatal) return { message: `The server hit an internal error: ${fatal[1]}` };
  const gaveUp = /^gave up after (\d+) restart attempts$/.exec(reason);
  if (gaveUp) return { message: `The server failed ${gaveUp[1]} times in a row and was stopped`, hint: 'Start it again from the Server screen; if it keeps failing, check the ports in Server settings.' };
  if (reason.startsWith('no answer to start')) return { message: 'The server process did not start in time', hint: 'Start it again; a busy computer can be slow to start it.' };
  return { message: reason };
}

/** One sentence: "Another program uses port 1935: change the RTMP port in Server settings". */
export const reasonText = ({ message, hint }: Explained): string => (hint ? `${message}: ${hint.charAt(0).toLowerCase()}${hint.slice(1).replace(/\.$/, '')}` : message);

/** A StudioError for anything the server host threw (a StudioError passes through as it is). */
export function studioError(error: unknown, ports: ListenerPorts): StudioError {
  if (error instanceof StudioError) return error;
  if (!(error instanceof HostError)) return new StudioError('INTERNAL', error instanceof Error ? error.message : String(error));
  switch (error.code) {
    case 'HOST_NOT_RUNNING':
      return notRunning();
    case 'HOST_TIMEOUT':
      return new StudioError('SERVER_FAILED', 'The server did not answer in time', 'Try again; if it keeps happening, stop and start the server.');
    case 'HOST_STATE':
      return new StudioError('CONFLICT', `The server cannot do that now: ${error.message}`, 'Wait for the server to be running, then try again.');
    default: {
      const { message, hint } = explainFailure(error.message, ports);
      return new StudioError('SERVER_FAILED', message, hint);
    }
  }
}

/** SERVER_NOT_RUNNING, for requests that need a running server. */
export const notRunning = (): StudioError => new StudioError('SERVER_NOT_RUNNING', 'The server is not running', 'Start the server on the Server screen, then try again.');

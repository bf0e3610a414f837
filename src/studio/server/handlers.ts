// The Server screen's requests, each answered by the ServerService: main spreads these into its RequestHandlers.
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { ServerService } from './server-service';

type ServerRequest = Extract<keyof RequestHandlers, `server.${string}`>;

export function serverHandlers(server: ServerService): Pick<RequestHandlers, ServerRequest> {
  return {
    'server.status': () => server.status(),
    'server.start': () => server.start(),
    'server.stop': () => server.stop(),
    'server.generateCertificate': () => server.generateCertificate(),
    'server.importCertificate': (input) => server.importCertificate(input),
    'server.stats': () => server.stats(),
    'server.history': async () => server.history(),
    'server.accessLog': async (input) => server.accessLog(input),
    'server.kick': ({ sessionId }) => server.kick(sessionId),
  };
}

// The soak run's server, in its own process so that its memory is measured alone: a MediaServer on
// 127.0.0.1, port 0, reporting its port and then its RSS to the parent (soak.ts) until told to stop.
import { MediaServer } from '../src/server/media-server';

export interface SoakServerOptions {
  maxConnections: number;
}

export type SoakServerMessage = { type: 'listening'; port: number } | { type: 'memory'; rss: number; connections: number };

const options = JSON.parse(process.argv[2]) as SoakServerOptions;
const server = new MediaServer({ host: '127.0.0.1', rtmpPort: 0, httpPort: null, maxConnections: options.maxConnections });
const { rtmp } = await server.start();
const send = (message: SoakServerMessage): void => void process.send!(message);
send({ type: 'listening', port: rtmp!.port });
const sampler = setInterval(() => send({ type: 'memory', rss: process.memoryUsage.rss(), connections: server.stats().connections.total }), 250);
process.on('message', async (message) => {
  if (message !== 'stop') return;
  clearInterval(sampler);
  await server.stop();
  process.disconnect();
});

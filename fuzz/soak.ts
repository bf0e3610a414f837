// npm run soak [-- --seconds 60] [--players 3] [--max-rss-mb 300]: a MediaServer (own process) serves a
// real-time publisher and a few players while soak-attacks.ts hits it with garbage, half-open connections,
// floods, oversized chunks and broken AMF. Passes if every player got every audio and video message the
// publisher sent, the server's RSS stayed under the bound, and it still accepts a new connection after.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FlvDemuxer } from '../src/server/flv/demuxer';
import type { FlvTag } from '../src/server/flv/tag';
import { RtmpClient } from '../src/server/session/rtmp-client';
import { Attacks } from './soak-attacks';
import type { SoakServerMessage, SoakServerOptions } from './soak-server';
import { FUZZ_DIR, loadCorpus } from './targets';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    players: { type: 'string', default: '3' },
    'max-rss-mb': { type: 'string', default: '300' },
    'max-connections': { type: 'string', default: '500' },
  },
});
const seconds = Number(values.seconds);
const playerCount = Number(values.players);
const maxRssBytes = Number(values['max-rss-mb']) * 2 ** 20;
const maxConnections = Number(values['max-connections']);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

interface ServerProcess {
  child: ChildProcess;
  port: number;
  rss: { start: number; peak: number; last: number };
  peakConnections: number;
}

async function startServer(): Promise<ServerProcess> {
  const options: SoakServerOptions = { maxConnections };
  const child = fork(join(FUZZ_DIR, 'soak-server.ts'), [JSON.stringify(options)], { execArgv: ['--import', 'tsx'] });
  const server: ServerProcess = { child, port: 0, rss: { start: 0, peak: 0, last: 0 }, peakConnections: 0 };
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.on('message', (message: SoakServerMessage) => {
      if (message.type === 'listening') {
        server.port = message.port;
        resolve();
      } else {
        if (server.rss.start === 0) server.rss.start = message.rss;
        server.rss.peak = Math.max(server.rss.peak, message.rss);
        server.rss.last = message.rss;
        server.peakConnections = Math.max(server.peakConnections, message.connections);
      }
    });
  });
  return server;
}

/** The fixture's audio and video tags, to be looped in real time. */
function loadMedia(): FlvTag[] {
  const tags: FlvTag[] = [];
  new FlvDemuxer((tag) => {
    if (tag.type === 8 || tag.type === 9) tags.push({ ...tag, body: Buffer.from(tag.body) });
  }).push(readFileSync(join(FUZZ_DIR, '..', 'test', 'fixtures', 'flv', 'testsrc-h264-aac.flv')));
  return tags;
}

interface Player {
  client: RtmpClient;
  received: number;
  closed: boolean;
}

async function startPlayer(url: string): Promise<Player> {
  const player: Player = { client: null!, received: 0, closed: false };
  player.client = await RtmpClient.connect(url, {
    onMessage: (message) => {
      if (message.type === 'audio' || message.type === 'video') player.received++;
    },
  });
  void player.client.closed.then(() => (player.closed = true));
  await player.client.play(await player.client.createStream(), 'soak');
  return player;
}

/** Sends the tags in a loop, paced by their timestamps, until `until` resolves; returns how many it sent. */
async function publish(url: string, tags: FlvTag[], running: () => boolean): Promise<{ sent: number; client: RtmpClient }> {
  const client = await RtmpClient.connect(url);
  const streamId = await client.createStream();
  await client.publish(streamId, 'soak');
  const loopMs = tags[tags.length - 1].timestamp + 40;
  const started = performance.now();
  let sent = 0;
  for (let loop = 0; running(); loop++) {
    for (const tag of tags) {
      const timestamp = loop * loopMs + tag.timestamp;
      const wait = started + timestamp - performance.now();
      if (wait > 0) await sleep(wait);
      client.sendMedia(tag.type === 8 ? 'audio' : 'video', streamId, timestamp, tag.body);
      sent++;
    }
  }
  return { sent, client };
}

async function main(): Promise<number> {
  const server = await startServer();
  const url = `rtmp://127.0.0.1:${server.port}/live`;
  const players = await Promise.all(Array.from({ length: playerCount }, () => startPlayer(url)));
  const attacks = new Attacks(server.port, { maxConnections, halfOpen: 50, floodPerSecond: 300, amfCorpus: loadCorpus('amf0') });
  const started = performance.now();
  let running = true;
  const publishing = publish(url, loadMedia(), () => running);
  attacks.start();
  console.log(`soak: server on port ${server.port}, ${playerCount} players, attacking for ${seconds} s`);
  await sleep((seconds * 1000) / 2);
  const saturation = await attacks.saturate();
  await sleep(Math.max(0, started + seconds * 1000 - performance.now()));
  running = false;
  const { sent, client: publisher } = await publishing;
  await attacks.stop();
  // Let the last messages reach the players, then check that a new client still gets in.
  await sleep(1500);
  let accepts = false;
  try {
    const probe = await RtmpClient.connect(url, { timeoutMs: 5000 });
    accepts = (await probe.createStream()) > 0;
    probe.close();
  } catch (error) {
    console.log(`new connection after the soak failed: ${String(error)}`);
  }
  const dropped = players.map((player) => player.closed);
  publisher.close();
  for (const player of players) player.client.close();
  server.child.send('stop');
  await new Promise((resolve) => server.child.once('exit', resolve));

  const failures: string[] = [];
  players.forEach((player, i) => {
    if (player.received !== sent) failures.push(`player ${i + 1} received ${player.received} of ${sent} media messages`);
    if (dropped[i]) failures.push(`player ${i + 1} was disconnected`);
  });
  if (server.rss.peak > maxRssBytes) failures.push(`server RSS peaked at ${mb(server.rss.peak)} MB, above ${mb(maxRssBytes)} MB`);
  if (!accepts) failures.push('the server did not accept a new connection after the soak');
  if (saturation.refused === 0) failures.push(`no connection refused when opening ${maxConnections + 50} at once (limit ${maxConnections})`);

  console.log(`\nsoak summary (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`  publisher sent ${sent} audio/video messages; players received ${players.map((p) => p.received).join(', ')}`);
  console.log(`  attacks: ${Object.entries(attacks.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  saturation: opened ${maxConnections + 50} at once, ${saturation.refused} refused by the limit of ${maxConnections}; peak server connections ${server.peakConnections}`);
  console.log(`  server RSS: start ${mb(server.rss.start)} MB, peak ${mb(server.rss.peak)} MB, end ${mb(server.rss.last)} MB (limit ${mb(maxRssBytes)} MB)`);
  console.log(`  new connection after the soak: ${accepts ? 'accepted' : 'FAILED'}`);
  console.log(failures.length === 0 ? 'PASS' : `FAIL\n  ${failures.join('\n  ')}`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main();

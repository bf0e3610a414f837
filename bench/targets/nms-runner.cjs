// Starts node-media-server v4 for the bench: RTMP only on 127.0.0.1:<argv[2]>, its data under <argv[3]>, errors-only logs.
'use strict';
const path = require('node:path');
const NodeMediaServer = require('node-media-server');
const logger = require('node-media-server/src/core/logger.js');

const port = Number(process.argv[2]);
const dataDir = process.argv[3];
const config = {
  bind: '127.0.0.1',
  rtmp: { port },
  store: { path: path.join(dataDir, 'store') },
  record: { auto: false },
};
const server = new NodeMediaServer(config, path.join(dataDir, 'config.json'));
// The constructor sets "debug"; per-session info lines would cost the server CPU during the run.
logger.level = 'error';
server.run();
process.on('SIGTERM', () => {
  server.stop().finally(() => process.exit(0));
});

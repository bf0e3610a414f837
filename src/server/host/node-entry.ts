// Entry of a server process forked by Node's child_process (see forkServerChild).
import { nodeParentChannel } from './node-channel';
import { ServerProcess } from './server-process';

const channel = nodeParentChannel();
new ServerProcess(channel);

// Nothing a peer sends should get here; if anything does, the parent hears why before the process dies.
process.on('uncaughtException', (error) => {
  channel.send({ kind: 'event', event: 'fatal', error: { code: 'HOST_FATAL', message: error.message } });
  process.exitCode = 1;
  channel.close();
  setTimeout(() => process.exit(1), 1000).unref();
});

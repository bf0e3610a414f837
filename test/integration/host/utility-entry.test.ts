// The utility-process entry under ServerHost: a Node child whose process.parentPort is a stand-in for Electron's.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerChild } from '../../../src/server/host/channel';
import { forkServerChild } from '../../../src/server/host/node-channel';
import { ServerHost } from '../../../src/server/host/server-host';
import { RtmpClient } from '../../../src/server/session/rtmp-client';
import { within } from '../../support/wait';

const ENTRY = fileURLToPath(new URL('../../../src/server/host/utility-entry.ts', import.meta.url));
const PARENT_PORT = fileURLToPath(new URL('./support/electron-parent-port.mjs', import.meta.url));

const hosts: ServerHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await within(host.stop(), 'the host to stop', 10_000).catch(() => {});
});

describe('utility-entry', () => {
  it('serves ServerHost over parentPort, and ends its process after a stop', async () => {
    const fork = forkServerChild(ENTRY, { execArgv: ['--import', 'tsx', '--import', PARENT_PORT] });
    const children: ServerChild[] = [];
    const host = new ServerHost({ spawnChild: () => children[children.push(fork()) - 1], startTimeoutMs: 20_000 });
    hosts.push(host);
    const { rtmp } = await host.start({ rtmpPort: 0, httpPort: null });
    const client = await RtmpClient.connect(`rtmp://127.0.0.1:${rtmp!.port}/live`, { timeoutMs: 5000 });
    client.close();
    const exited = new Promise<number | null>((resolve) => children[0].onExit((code) => resolve(code)));
    await host.stop();
    expect(await within(exited, 'the utility process to end')).toBe(0);
  });

  it('refuses to run outside a utility process, saying why', async () => {
    const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (bytes: Buffer) => (stderr += bytes.toString()));
    const [code] = await within(once(child, 'exit'), 'the process to fail', 20_000);
    expect(code).not.toBe(0);
    expect(stderr).toContain('process.parentPort is missing');
  });
});

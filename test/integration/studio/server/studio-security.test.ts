// createStudio's wiring between settings, keys and the server process: a settings change that alters the security document
// reaches the running server without a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RtmpClient } from '../../../../src/server/session/rtmp-client';
import { openStudioServices, type StudioServices } from '../../../e2e/support/studio-services';
import { timePasses } from '../../../support/wait';

let opened: { services: StudioServices; dir: string } | null = null;
afterEach(async () => {
  if (!opened) return;
  await opened.services.studio.stop();
  await rm(opened.dir, { recursive: true, force: true });
  opened = null;
});

/** Publishes live/`name` without a token: resolves when the server allows it, rejects with its refusal. */
async function publishWithoutToken(rtmpUrl: string, name: string): Promise<void> {
  const client = await RtmpClient.connect(`${rtmpUrl}/live`, { timeoutMs: 5000 });
  try {
    await client.publish(await client.createStream(), name);
  } finally {
    client.close();
  }
}

describe('createStudio', () => {
  it('hands the running server a publish policy changed in the settings, in the same process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-studio-'));
    const services = await openStudioServices(dir);
    opened = { services, dir };
    const running = await services.waitForEvent('server.status', ({ state }) => state === 'running', 'the server to start with the app');
    const rtmp = running.endpoints.rtmp!;
    await expect(publishWithoutToken(rtmp, 'first')).rejects.toMatchObject({ code: 'NetStream.Publish.Unauthorized' });

    services.studio.settings.update({ policy: { publish: 'open' } });
    const deadline = Date.now() + 10_000;
    for (let attempt = 1; ; attempt++) {
      const allowed = await publishWithoutToken(rtmp, `open${attempt}`).then(() => true, () => false);
      if (allowed) break;
      if (Date.now() > deadline) throw new Error('the open publish policy never reached the server');
      await timePasses(50);
    }
    const status = await services.studio.server.status();
    expect(status).toMatchObject({ state: 'running', restarts: 0 });
    expect(status.endpoints.rtmp).toBe(rtmp);
  });
});

// One e2e file's studios: the real services on a data directory and the real renderer wired to them, opened per test
// and stopped after it (encoders, server process, browser context, files); reopening a directory is a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterEach } from 'vitest';
import { useStudioBrowser, type StudioPage } from './studio-browser';
import { openStudioServices, type StudioServices } from './studio-services';

export interface OpenStudio {
  services: StudioServices;
  page: StudioPage;
  dataDir: string;
}

export interface StudioSessions {
  /** Services on `dataDir` (a new directory when absent) and a page of the renderer on them. */
  open(dataDir?: string): Promise<OpenStudio>;
  /** Stops the services and closes the page, keeping the directory, as quitting the app does. */
  quit(studio: OpenStudio): Promise<void>;
}

/** Video frames a <video> has presented so far (Media Playback Quality). */
const presentedFrames = (video: Locator): Promise<number> => video.evaluate((element: HTMLVideoElement) => element.getVideoPlaybackQuality().totalVideoFrames);

/** Resolves once `video` has presented `frames` more frames than now: the picture moves. */
export async function framesAdvance(video: Locator, frames: number, timeoutMs: number): Promise<void> {
  const start = await presentedFrames(video);
  let now = start;
  const deadline = Date.now() + timeoutMs;
  while (now < start + frames) {
    if (Date.now() > deadline) throw new Error(`the preview presented ${now - start} frames in ${timeoutMs} ms, wanted ${frames}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    now = await presentedFrames(video);
  }
}

export function useStudioSessions(): StudioSessions {
  const running = new Set<OpenStudio>();
  const dirs = new Set<string>();

  // The services stop even when the page's context will not close: they own the server process and ffmpeg.
  const quit = async (studio: OpenStudio) => {
    running.delete(studio);
    try {
      await studio.page.page.context().close();
    } finally {
      await studio.services.studio.stop();
    }
  };

  afterEach(async () => {
    const quits = await Promise.allSettled([...running].map(quit));
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    dirs.clear();
    for (const result of quits) if (result.status === 'rejected') throw result.reason;
  });
  // Registered after the hook above, so its afterEach runs first (vitest runs them as a stack): a failed test's pages
  // are photographed before their services stop.
  const browser = useStudioBrowser();

  return {
    quit,
    async open(dataDir) {
      const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'airlock-e2e-')));
      dirs.add(dir);
      const services = await openStudioServices(dir);
      const page = await browser.newPage(services.studio.handlers).catch(async (error: unknown) => {
        await services.studio.stop();
        throw error;
      });
      const studio = { services, page, dataDir: dir };
      running.add(studio);
      // Connected before the renderer loads, so it misses no event.
      services.connect(page.emit);
      await page.page.goto(browser.rendererUrl);
      await services.waitForEvent('server.status', (status) => status.state === 'running', 'the studio server running');
      return studio;
    },
  };
}

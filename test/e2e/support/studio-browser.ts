// One e2e file's browser set-up: the renderer built and served once, Chromium launched once, and a fresh page per
// test wired to that test's handlers; everything a test opened is closed after it.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RequestHandlers } from '../../../src/shared/ipc';
import { bridgePage, type PageBridge } from './bridge';
import { launchChromium } from './chromium';
import { rendererBuild } from './renderer-build';
import { serveDirectory, type StaticServer } from './static-server';

/** Screenshots of the screens, kept as test output (gitignored). */
const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../../test-results/e2e');

export interface StudioPage extends PageBridge {
  page: Page;
  /** Uncaught page errors and console errors so far, to show when a test fails. */
  problems: string[];
  /** Saves the page as test-results/e2e/NAME.png and returns the path. */
  screenshot(name: string): Promise<string>;
}

export interface StudioBrowser {
  /** The built renderer's address on 127.0.0.1. */
  readonly rendererUrl: string;
  readonly browser: Browser;
  /** A new page (its own context, camera and microphone allowed) with window.airlock answered by `handlers`. */
  newPage(handlers: RequestHandlers): Promise<StudioPage>;
  /** newPage, then the renderer loaded in it. */
  openStudio(handlers: RequestHandlers): Promise<StudioPage>;
}

/** Registers the hooks of an e2e file; call at the top of the file or of a describe. */
export function useStudioBrowser(): StudioBrowser {
  let server: StaticServer | null = null;
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];
  const pages: StudioPage[] = [];

  beforeAll(async () => {
    server = await serveDirectory(await rendererBuild());
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 200_000);

  // A failed test leaves a screenshot of every page it had open and prints what went wrong inside them.
  afterEach(async ({ task }) => {
    const open = pages.splice(0);
    if (task.result?.state === 'fail') {
      for (const [i, page] of open.entries()) {
        if (page.page.isClosed()) continue;
        const shot = await page.screenshot(`FAILED ${task.name.replace(/\W+/g, '-').slice(0, 80)} ${i}`).catch(() => 'none');
        console.error(`page ${i} of "${task.name}": screenshot ${shot}\n${page.problems.join('\n') || 'no page errors'}`);
      }
    }
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const session: StudioBrowser = {
    get rendererUrl() {
      if (server === null) throw new Error('the renderer is served from beforeAll: use the session inside a test');
      return server.url;
    },
    get browser() {
      if (browser === null) throw new Error('Chromium is launched in beforeAll: use the session inside a test');
      return browser;
    },
    async newPage(handlers) {
      const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      await context.grantPermissions(['camera', 'microphone'], { origin: session.rendererUrl });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
      });
      const bridge = await bridgePage(page, handlers);
      const screenshot = async (name: string) => {
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      };
      const studioPage = { ...bridge, page, problems, screenshot };
      pages.push(studioPage);
      return studioPage;
    },
    async openStudio(handlers) {
      const studio = await session.newPage(handlers);
      await studio.page.goto(session.rendererUrl);
      return studio;
    },
  };
  return session;
}

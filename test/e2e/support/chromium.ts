// Launches Debian's chromium through playwright-core (it downloads no browser): headless, fake camera and microphone.
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** CHROMIUM_PATH, or the first Chromium on PATH; a missing browser fails the test with what to install, it never skips it. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  for (const name of CANDIDATES) {
    try {
      return execFileSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8', env }).trim();
    } catch {
      // not this one: try the next name
    }
  }
  throw new Error(`No Chromium found (looked for ${CANDIDATES.join(', ')} on PATH and CHROMIUM_PATH): the e2e tests need it. On Debian: apt-get install chromium`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 30_000 });
}

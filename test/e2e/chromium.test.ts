// The e2e suite never skips for want of a browser: without Chromium it fails and says what to install.
import { describe, expect, it } from 'vitest';
import { chromiumPath } from './support/chromium';

describe('finding Chromium', () => {
  it('fails with what to install when no Chromium is on PATH', () => {
    expect(() => chromiumPath({ PATH: '/nonexistent' })).toThrow(/apt-get install chromium/);
  });

  it('takes CHROMIUM_PATH first', () => {
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/chromium/chrome', PATH: '/nonexistent' })).toBe('/opt/chromium/chrome');
  });
});

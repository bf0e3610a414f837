import { describe, expect, it } from 'vitest';
import { isPageAt } from '../../../src/main/our-page';

const BUNDLED = 'file:///opt/Airlock%20Studio/resources/app.asar/out/renderer/index.html';
const DEV = 'http://localhost:5173/';

describe('isPageAt', () => {
  it('takes the bundled page itself, whatever its query or fragment', () => {
    expect(isPageAt(BUNDLED, BUNDLED)).toBe(true);
    expect(isPageAt(BUNDLED, `${BUNDLED}?tab=keys#top`)).toBe(true);
  });

  it('refuses another file, and a bare file origin that names no page', () => {
    expect(isPageAt(BUNDLED, 'file:///etc/passwd')).toBe(false);
    expect(isPageAt(BUNDLED, 'file:///')).toBe(false);
  });

  it("takes any path on the dev server's origin and nothing on another origin", () => {
    expect(isPageAt(DEV, 'http://localhost:5173/src/index.html?x=1')).toBe(true);
    expect(isPageAt(DEV, 'http://localhost:5174/')).toBe(false);
    expect(isPageAt(DEV, 'https://example.com/')).toBe(false);
  });

  it('answers false, without throwing, for a missing or unparsable URL', () => {
    for (const url of [undefined, '', 'null', 'not a url']) expect(isPageAt(BUNDLED, url)).toBe(false);
  });
});

import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// A sandboxed preload can require only 'electron' (and a few Node built-ins): anything else must be bundled, and the
// contract's zod schemas have no business there.
describe('the preload bundle', () => {
  it('requires electron only and contains no package but our own sources', async () => {
    const result = await build({
      entryPoints: ['src/preload/index.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path));
    expect(imports).toEqual(['electron']);
    expect(Object.keys(result.metafile.inputs).every((input) => input.startsWith('src/'))).toBe(true);
  });
});

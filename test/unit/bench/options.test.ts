// The bench's command line: the capture bench runs with the server table by default, alone, or not at all.
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../bench/options';

describe('bench options', () => {
  it('runs the capture bench with the server table by default, 20 s per encoding path', () => {
    expect(parseOptions([])).toMatchObject({ capture: 'with', captureSeconds: 20 });
  });

  it('runs the capture bench alone with --capture-only, and skips it with --no-capture or --ceiling', () => {
    expect(parseOptions(['--capture-only', '--capture-seconds', '5'])).toMatchObject({ capture: 'only', captureSeconds: 5 });
    expect(parseOptions(['--no-capture'])).toMatchObject({ capture: 'off' });
    expect(parseOptions(['--ceiling'])).toMatchObject({ capture: 'off' });
  });

  it('refuses --capture-only with --no-capture or --ceiling, and a window that is not a positive integer', () => {
    expect(() => parseOptions(['--capture-only', '--no-capture'])).toThrow(/--capture-only/);
    expect(() => parseOptions(['--capture-only', '--ceiling'])).toThrow(/--capture-only/);
    expect(() => parseOptions(['--capture-seconds', '0'])).toThrow(/--capture-seconds/);
  });
});

import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../src/shared/ipc';
import { toErrorBody } from '../../../../src/renderer/src/ui/errors';
import { formatBitrate, formatDuration } from '../../../../src/renderer/src/ui/format';
import { sparklinePoints } from '../../../../src/renderer/src/ui/Sparkline';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [545, '9m 05s'],
    [3900, '1h 05m'],
    [300, '5m'],
    [86_400, '1d'],
    [2 * 86_400 + 3 * 3600 + 59, '2d 03h'],
    [-5, '0s'],
  ])('writes %d seconds as %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('formatBitrate', () => {
  it('writes kb/s below a megabit and Mb/s from one', () => {
    expect(formatBitrate(849.6)).toBe('850 kb/s');
    expect(formatBitrate(2500)).toBe('2.5 Mb/s');
  });
});

describe('sparklinePoints', () => {
  it('spreads the values across the width with the peak at the top', () => {
    expect(sparklinePoints([0, 5, 10], 100, 22)).toBe('0.0,21.0 50.0,11.0 100.0,1.0');
  });

  it('draws one value as a flat line and nothing for none', () => {
    expect(sparklinePoints([3], 100, 22)).toBe('0.0,1.0 100.0,1.0');
    expect(sparklinePoints([], 100, 22)).toBe('');
  });
});

describe('toErrorBody', () => {
  it('keeps the code, message and hint of a StudioError', () => {
    expect(toErrorBody(new StudioError('NOT_FOUND', 'no such key', 'Refresh the list.'))).toEqual({ code: 'NOT_FOUND', message: 'no such key', hint: 'Refresh the list.' });
  });

  it('turns any other failure into INTERNAL with its message', () => {
    expect(toErrorBody(new TypeError('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(toErrorBody('plain')).toEqual({ code: 'INTERNAL', message: 'plain' });
  });
});

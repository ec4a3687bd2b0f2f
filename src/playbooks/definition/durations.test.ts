import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './durations.js';

describe('durations', () => {
  it.each([
    ['1500ms', 1_500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    [' 10s ', 10_000],
    ['PT5M', 300_000],
    ['P1D', 86_400_000],
    ['P1DT2H', 93_600_000],
    ['pt1.5s', 1_500],
    ['P2W', 1_209_600_000],
    ['PT0S', 0],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', 's', '5 m', '1y', '5min', 'P', 'PT', 'P1M', 'P1Y', 'PT5', '-5s', '1h 30m'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('writes durations back in the largest whole unit', () => {
    expect([86_400_000, 30 * 86_400_000, 3_600_000, 90_000, 60_000, 1_500].map(formatDuration)).toEqual([
      '1d',
      '30d',
      '1h',
      '90s',
      '1m',
      '1500ms',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { decide, type RateWindow } from './notification-throttle.js';
import { RATE_WINDOW_MS } from './notification-schemas.js';

const key = { ruleId: 'r1', recipient: 'soc@example.test' };

describe('decide (the rate limit)', () => {
  it('sends the first N events of a window at once, then folds the rest, flagging the first fold', () => {
    let open: RateWindow | undefined;
    const decisions = [];
    for (let i = 0; i < 5; i++) {
      const { window, decision } = decide(open, key, 3, 1_000 + i);
      open = window;
      decisions.push(decision.send ? 'send' : decision.firstFold ? 'fold (first)' : 'fold');
    }
    expect(decisions).toEqual(['send', 'send', 'send', 'fold (first)', 'fold']);
    expect(open).toMatchObject({ start: 1_000, end: 1_000 + RATE_WINDOW_MS, sent: 3, folded: 2 });
  });

  it('opens a new window once the last one ended', () => {
    const ended: RateWindow = { ...key, start: 0, end: RATE_WINDOW_MS, sent: 10, folded: 40 };
    const { window, decision } = decide(ended, key, 10, RATE_WINDOW_MS);
    expect(decision).toEqual({ send: true });
    expect(window).toMatchObject({ start: RATE_WINDOW_MS, end: 2 * RATE_WINDOW_MS, sent: 1, folded: 0 });
  });
});

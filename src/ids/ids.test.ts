import { describe, expect, it } from 'vitest';
import { isUuid, newId } from './ids.js';

describe('newId', () => {
  it('makes UUIDv7 strings that carry the time, sort in creation order and never repeat', () => {
    const at = Date.parse('2026-12-03T07:00:00.000Z');
    const ids = Array.from({ length: 20_000 }, (_, i) => newId(at + Math.floor(i / 1000)));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 300)) {
      expect(isUuid(id)).toBe(true);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    // The first 48 bits are the millisecond.
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(parseInt(ids[19_999]!.replace(/-/g, '').slice(0, 12), 16)).toBe(at + 19);
  });

  it('keeps order when the clock goes back', () => {
    const first = newId(Date.parse('2030-01-01T00:00:00Z'));
    const second = newId(Date.parse('2029-01-01T00:00:00Z'));
    expect(second > first).toBe(true);
  });
});

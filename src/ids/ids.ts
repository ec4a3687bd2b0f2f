import { randomBytes } from 'node:crypto';

let lastMillis = 0;
let sequence = 0;

// Random bytes are drawn in blocks: one system call per 256 ids instead of one per id.
const POOL_SIZE = 16 * 256;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

/**
 * A new UUID version 7: time-ordered, so rows inserted together sit together in indexes, and ids
 * created later in this process sort after earlier ones (a 12-bit counter orders ids within a millisecond).
 */
export function newId(now: number = Date.now()): string {
  if (now <= lastMillis) {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMillis += 1;
      sequence = 0;
    }
  } else {
    lastMillis = now;
    sequence = 0;
  }
  if (poolOffset >= POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const b = pool;
  const o = poolOffset;
  poolOffset += 16;
  const millis = lastMillis;
  b[o] = Math.floor(millis / 2 ** 40) & 0xff;
  b[o + 1] = Math.floor(millis / 2 ** 32) & 0xff;
  b[o + 2] = (millis >>> 24) & 0xff;
  b[o + 3] = (millis >>> 16) & 0xff;
  b[o + 4] = (millis >>> 8) & 0xff;
  b[o + 5] = millis & 0xff;
  b[o + 6] = 0x70 | ((sequence >>> 8) & 0x0f);
  b[o + 7] = sequence & 0xff;
  b[o + 8] = (b[o + 8]! & 0x3f) | 0x80;
  const hex = b.toString('hex', o, o + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string has the shape of a UUID (any version). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

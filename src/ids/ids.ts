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
  return formatUuid(b, o);
}

// Hex digits of every byte value, as character codes, and a buffer to spell one id into.
const HEX_CODES = Buffer.from(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).join(''), 'latin1');
const DASH = 0x2d;
const spelled = Buffer.alloc(36);

/** Spells 16 bytes as a UUID in one string (ids are made for every row: no intermediate strings). */
function formatUuid(bytes: Buffer, offset: number): string {
  let p = 0;
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) spelled[p++] = DASH;
    const value = bytes[offset + i]!;
    spelled[p++] = HEX_CODES[2 * value]!;
    spelled[p++] = HEX_CODES[2 * value + 1]!;
  }
  return spelled.toString('latin1', 0, 36);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string has the shape of a UUID (any version). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

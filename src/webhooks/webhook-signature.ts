import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature header of outbound webhooks: `X-Vigil-Signature: t=<unix seconds>,v1=<hex>`
 * where the hex is HMAC-SHA256(secret, `<t>.<raw body>`). Signing the time with the body lets
 * receivers refuse replays (reject a `t` older than a few minutes).
 */

/** The header value for a body sent at `at` (milliseconds). */
export function signatureHeader(secret: string, body: string, at: number): string {
  const t = Math.floor(at / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** Checks a header against the body and secret, allowing `toleranceSeconds` of age (receivers' side; also for tests). */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  const age = Math.abs((options.now ?? Date.now()) / 1000 - t);
  if (age > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

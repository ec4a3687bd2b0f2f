import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  const secret = 'a-signing-secret-of-some-length';
  const body = '{"type":"incident.created"}';
  const at = 1_780_000_000_123;

  it('is HMAC-SHA256 over "<t>.<body>" with t in seconds, as documented', () => {
    const t = Math.floor(at / 1000);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(secret, body, at)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies the body it signed, and nothing else', () => {
    const header = signatureHeader(secret, body, at);
    expect(verifySignature(secret, body, header, { now: at })).toBe(true);
    expect(verifySignature(secret, `${body} `, header, { now: at })).toBe(false);
    expect(verifySignature('another-secret-of-some-length', body, header, { now: at })).toBe(false);
    expect(verifySignature(secret, body, 'v1=deadbeef', { now: at })).toBe(false);
  });

  it('refuses a signature older than the tolerance (replays)', () => {
    const header = signatureHeader(secret, body, at);
    expect(verifySignature(secret, body, header, { now: at + 299_000 })).toBe(true);
    expect(verifySignature(secret, body, header, { now: at + 301_000 })).toBe(false);
  });
});

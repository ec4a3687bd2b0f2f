import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecretKey, openSecrets, parseSecretKey, redactSecrets, sealSecrets, secretKeyFrom } from './secret-box.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-secret-box-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const key = () => secretKeyFrom(randomBytes(32), 'test');
const SECRETS = { apiKey: 'vt-0123456789abcdef', password: 'p@ss:word/with=symbols' };

describe('sealing', () => {
  it('round-trips the secrets, with a fresh IV every time, and never holds them in clear', () => {
    const k = key();
    const a = sealSecrets(k, SECRETS);
    const b = sealSecrets(k, SECRETS);
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^v1:${k.id}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$`));
    expect(a).not.toContain('vt-0123456789abcdef');
    expect(openSecrets(k, a)).toEqual(SECRETS);
    expect(openSecrets(k, b)).toEqual(SECRETS);
  });

  it('detects a changed ciphertext, tag or IV', () => {
    const k = key();
    const sealed = sealSecrets(k, SECRETS);
    const parts = sealed.split(':');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      const tampered = [...parts.slice(0, index), bytes.toString('base64url'), ...parts.slice(index + 1)].join(':');
      expect(() => openSecrets(k, tampered)).toThrow(/failed authentication/);
    }
    expect(() => openSecrets(k, 'not-an-envelope')).toThrow(/not a v1 envelope/);
  });

  it('binds the envelope to its context: secrets moved to another record do not open', () => {
    const k = key();
    const sealed = sealSecrets(k, SECRETS, 'ws1/conn1');
    expect(openSecrets(k, sealed, 'ws1/conn1')).toEqual(SECRETS);
    expect(() => openSecrets(k, sealed, 'ws2/conn9')).toThrow(/failed authentication/);
  });

  it('refuses to open with another key, naming both key ids', () => {
    const k1 = key();
    const k2 = key();
    const sealed = sealSecrets(k1, SECRETS);
    expect(() => openSecrets(k2, sealed)).toThrow(new RegExp(`sealed with another key \\(id ${k1.id}\\).*has id ${k2.id}`));
    // Same id but different bytes cannot happen in practice; the tag still catches a forged id.
    const forged = sealed.replace(`:${k1.id}:`, `:${k2.id}:`);
    expect(() => openSecrets(k2, forged)).toThrow(/failed authentication/);
  });
});

describe('VIGIL_SECRET_KEY', () => {
  it('accepts 32 bytes as hex, base64 or base64url', () => {
    const bytes = randomBytes(32);
    for (const text of [
      bytes.toString('hex'),
      bytes.toString('base64'),
      bytes.toString('base64url'),
      ` ${bytes.toString('hex')}\n`,
    ])
      expect(parseSecretKey(text).key.equals(bytes)).toBe(true);
    const dataDir = tempDir();
    const loaded = loadSecretKey({ env: { VIGIL_SECRET_KEY: bytes.toString('base64') }, dataDir });
    expect(loaded.key.equals(bytes)).toBe(true);
    expect(loaded.source).toBe('VIGIL_SECRET_KEY');
    expect(fs.existsSync(path.join(dataDir, 'secret.key'))).toBe(false);
  });

  it.each([
    ['too short', 'abc'],
    ['16 bytes of hex', randomBytes(16).toString('hex')],
    ['48 bytes of base64', randomBytes(48).toString('base64')],
    ['a passphrase', 'correct horse battery staple and more words!!'],
  ])('rejects %s with a message saying what is expected', (_label, value) => {
    expect(() => loadSecretKey({ env: { VIGIL_SECRET_KEY: value }, dataDir: tempDir() })).toThrow(
      /VIGIL_SECRET_KEY must be 32 random bytes written as 64 hex characters or 44 base64 characters .*openssl rand -base64 32/,
    );
  });
});

describe('key file', () => {
  it('creates <dataDir>/secret.key with mode 0600 on first use, then reads the same key', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const first = loadSecretKey({ env: {}, dataDir });
    const file = path.join(dataDir, 'secret.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.source).toBe(file);
    const second = loadSecretKey({ env: { VIGIL_SECRET_KEY: '  ' }, dataDir });
    expect(second.key.equals(first.key)).toBe(true);
    expect(openSecrets(second, sealSecrets(first, SECRETS))).toEqual(SECRETS);
    expect(fs.readdirSync(dataDir)).toEqual(['secret.key']);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file other users can read, and says how to fix it', () => {
    const dataDir = tempDir();
    loadSecretKey({ env: {}, dataDir });
    const file = path.join(dataDir, 'secret.key');
    fs.chmodSync(file, 0o644);
    expect(() => loadSecretKey({ env: {}, dataDir })).toThrow(
      `can be read by other users (mode 0644). Restrict it with \`chmod 600 ${file}\``,
    );
    fs.chmodSync(file, 0o640);
    expect(() => loadSecretKey({ env: {}, dataDir })).toThrow(/mode 0640/);
    fs.chmodSync(file, 0o600);
    expect(loadSecretKey({ env: {}, dataDir }).key).toHaveLength(32);
  });

  it('refuses a key file that does not hold a key', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'secret.key'), 'hello\n', { mode: 0o600 });
    expect(() => loadSecretKey({ env: {}, dataDir })).toThrow(/does not hold a base64 32-byte key/);
  });
});

describe('redactSecrets', () => {
  it('replaces secrets inside strings, deeply, in any form, and leaves the rest alone', () => {
    const log = {
      url: 'https://api.example.com/v1?apikey=vt-0123456789abcdef&x=1',
      nested: [{ header: 'Bearer vt-0123456789abcdef' }, 42, null, true],
      encoded: `q=${encodeURIComponent(SECRETS.password)}`,
      json: JSON.stringify({ pw: 'a"quoted"secret' }),
      short: 'abc appears here',
      ['key-vt-0123456789abcdef']: 'x',
    };
    const out = redactSecrets(log, [SECRETS.apiKey, SECRETS.password, 'a"quoted"secret', 'abc']);
    expect(out).toEqual({
      url: 'https://api.example.com/v1?apikey=[redacted]&x=1',
      nested: [{ header: 'Bearer [redacted]' }, 42, null, true],
      encoded: 'q=[redacted]',
      json: '{"pw":"[redacted]"}',
      short: 'abc appears here',
      ['key-[redacted]']: 'x',
    });
    expect(log.url).toContain('vt-0123456789abcdef');
  });

  it('replaces the longest secret first and copes with cycles', () => {
    const cyclic: Record<string, unknown> = { text: 'token-1234-extended' };
    cyclic.self = cyclic;
    const out = redactSecrets(cyclic, ['token-1234', 'token-1234-extended']) as Record<string, unknown>;
    expect(out.text).toBe('[redacted]');
    expect(out.self).toBe(out);
    expect(redactSecrets('nothing to hide', [])).toBe('nothing to hide');
  });
});

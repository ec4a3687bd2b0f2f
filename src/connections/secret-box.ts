import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encryption at rest of a connection's secret fields: AES-256-GCM with a random 96-bit IV per
 * sealing, in a versioned envelope `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts). The key
 * comes from `VIGIL_SECRET_KEY` or from a key file generated in the data directory.
 */

/** The key secrets are sealed with, and a short id telling which key sealed an envelope. */
export interface SecretKey {
  /** First 8 hex characters of the key's SHA-256: names the key without revealing it. */
  id: string;
  key: Buffer;
  /** Where the key came from (for messages): `VIGIL_SECRET_KEY` or the key file's path. */
  source: string;
}

/** Thrown when the key cannot be loaded or an envelope cannot be opened; the message says what to do. */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

const VERSION = 'v1';
const KEY_FILE = 'secret.key';
const KEY_ENV = 'VIGIL_SECRET_KEY';
const MIN_REDACTED_LENGTH = 4;
const REDACTED = '[redacted]';

/** Wraps 32 raw bytes as a key. */
export function secretKeyFrom(key: Buffer, source: string): SecretKey {
  if (key.length !== 32) throw new SecretKeyError(`The secret key from ${source} must be 32 bytes, got ${key.length}.`);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key, source };
}

/** Decodes `VIGIL_SECRET_KEY`: 32 bytes written as 64 hex characters or as base64 (or base64url). */
export function parseSecretKey(text: string): SecretKey {
  const value = text.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) bytes = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes?.length !== 32)
    throw new SecretKeyError(
      `${KEY_ENV} must be 32 random bytes written as 64 hex characters or 44 base64 characters ` +
        `(e.g. the output of \`openssl rand -base64 32\`); the value set has ${value.length} characters. ` +
        `Unset it to use a key file in the data directory instead.`,
    );
  return secretKeyFrom(bytes, KEY_ENV);
}

/**
 * The server's secret key: `VIGIL_SECRET_KEY` when set, else `<dataDir>/secret.key`, created on
 * first use (mode 0600). Refuses a key file that other users can access.
 */
export function loadSecretKey(options: { env: { VIGIL_SECRET_KEY?: string }; dataDir: string }): SecretKey {
  const fromEnv = options.env.VIGIL_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseSecretKey(fromEnv);
  const file = path.join(options.dataDir, KEY_FILE);
  if (!fs.existsSync(file)) createKeyFile(file);
  return readKeyFile(file);
}

/** Writes a new random key atomically: a private temporary file hard-linked into place, never overwriting. */
function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, file);
  } catch (error) {
    // Another process created the key first: use theirs, so both seal with the same key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function readKeyFile(file: string): SecretKey {
  const mode = fs.statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new SecretKeyError(
      `The secret key file ${file} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}). ` +
        `Restrict it with \`chmod 600 ${file}\` (and check who could have read it), or set ${KEY_ENV}.`,
    );
  const text = fs.readFileSync(file, 'utf8').trim();
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text) || bytes.length !== 32)
    throw new SecretKeyError(`The secret key file ${file} does not hold a base64 32-byte key; restore it from a backup.`);
  return secretKeyFrom(bytes, file);
}

/**
 * Seals a connection's secret fields. `context` (e.g. `workspaceId/connectionId`) is
 * authenticated but not stored: the envelope only opens for the same context.
 */
export function sealSecrets(key: SecretKey, secrets: Record<string, string>, context = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
  return [VERSION, key.id, ...parts].join(':');
}

/** Opens a sealed envelope; throws SecretKeyError if it was sealed with another key, or altered. */
export function openSecrets(key: SecretKey, sealed: string, context = ''): Record<string, string> {
  const [version, keyId, iv, tag, ciphertext, ...rest] = sealed.split(':');
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined || rest.length > 0)
    throw new SecretKeyError('The sealed secrets are not a v1 envelope.');
  if (keyId !== key.id)
    throw new SecretKeyError(
      `These secrets were sealed with another key (id ${keyId}); the key in use (${key.source}) has id ${key.id}. ` +
        `Restore the original key, or enter the connection's secrets again.`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  let plain: string;
  try {
    plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretKeyError('The sealed secrets failed authentication: they were altered, or belong to another record.');
  }
  const secrets = JSON.parse(plain) as unknown;
  if (!secrets || typeof secrets !== 'object' || Object.values(secrets).some((v) => typeof v !== 'string'))
    throw new SecretKeyError('The sealed secrets are not an object of strings.');
  return secrets as Record<string, string>;
}

/** The forms a secret may take inside a string: as is, URL-encoded, JSON-escaped. */
function secretForms(secrets: string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_REDACTED_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

function redactString(text: string, forms: string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function redactDeep(value: unknown, forms: string[], seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactString(value, forms);
  if (value === null || typeof value !== 'object') return value;
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redactDeep(item, forms, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[redactString(k, forms)] = redactDeep(v, forms, seen);
  return out;
}

/**
 * A copy of `value` with every occurrence of a secret (≥ 4 characters; also URL-encoded or
 * JSON-escaped) inside its strings, deeply, replaced by `[redacted]`. For run logs and errors.
 */
export function redactSecrets(value: unknown, secrets: string[]): unknown {
  const forms = secretForms(secrets);
  if (forms.length === 0) return value;
  return redactDeep(value, forms, new WeakMap());
}

/** `redactSecrets` for one string. */
export function redactText(text: string, secrets: string[]): string {
  return redactString(text, secretForms(secrets));
}

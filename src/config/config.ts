import path from 'node:path';
import { z } from 'zod';

/** Where the data lives: the embedded SQLite file, or a PostgreSQL server. */
export type StorageTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** The server's configuration, from environment variables and `vigil serve` flags. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  storage: StorageTarget;
  logLevel: LogLevel;
  /** The address users reach the server at, for links in emails and messages. */
  publicUrl: string;
  /** First administrator's email and password, used only when the database has no users. */
  adminEmail?: string;
  adminPassword?: string;
  /** `VIGIL_SECRET_KEY`: the key connection secrets are sealed with (else a key file in dataDir). */
  secretKey?: string;
  /** `VIGIL_EGRESS_ALLOWLIST`: internal destinations every connector may reach (hosts, IPs, CIDRs). */
  egressAllowlist?: string;
  /** `SMTP_URL` and `SMTP_FROM`: how the server sends its own email (approval requests). */
  smtp: { url?: string; from: string };
  /** `VIGIL_WORKERS`: playbook runs executed at once by this process (0: none, the API only). */
  workers: number;
  /** `VIGIL_RUN_LEASE_MS`: how long a run's worker may go without showing signs of life before another takes over. */
  runLeaseMs: number;
  /** `VIGIL_DELIVERY_RETRY_MS`: the delay before a failed webhook or email delivery's first retry (then doubling). */
  deliveryRetryMs: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings as strings, the way they arrive from the environment or the command line. */
export interface RawSettings {
  PORT?: string;
  HOST?: string;
  DATA_DIR?: string;
  DATABASE_URL?: string;
  LOG_LEVEL?: string;
  PUBLIC_URL?: string;
  VIGIL_ADMIN_EMAIL?: string;
  VIGIL_ADMIN_PASSWORD?: string;
  VIGIL_SECRET_KEY?: string;
  VIGIL_EGRESS_ALLOWLIST?: string;
  SMTP_URL?: string;
  SMTP_FROM?: string;
  VIGIL_WORKERS?: string;
  VIGIL_RUN_LEASE_MS?: string;
  VIGIL_DELIVERY_RETRY_MS?: string;
}

/** Thrown when a setting is invalid; the message names the setting and what was wrong. */
export class ConfigError extends Error {}

/** Settings that may hold credentials: an error names them without quoting the value. */
const SECRET_SETTINGS = new Set(['DATABASE_URL', 'VIGIL_ADMIN_PASSWORD', 'VIGIL_SECRET_KEY', 'SMTP_URL']);

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

const settingsSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\/.+/i,
      'must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite database)',
    )
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  PUBLIC_URL: z.url({ error: 'must be an absolute http(s) URL' }).optional(),
  VIGIL_ADMIN_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  VIGIL_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  VIGIL_SECRET_KEY: z.string().optional(),
  VIGIL_EGRESS_ALLOWLIST: z.string().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/i, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587')
    .optional(),
  SMTP_FROM: z.string().min(3).default('Vigil <vigil@localhost>'),
  VIGIL_WORKERS: z.coerce.number({ error: 'must be a number' }).int().min(0).max(256, 'must be at most 256').default(16),
  VIGIL_RUN_LEASE_MS: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1_000, 'must be at least 1000')
    .max(600_000)
    .default(30_000),
  VIGIL_DELIVERY_RETRY_MS: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(10, 'must be at least 10')
    .max(3_600_000, 'must be at most 3600000 (an hour)')
    .default(30_000),
});

/**
 * Reads and checks the configuration. Flags win over environment variables. Throws ConfigError
 * naming every invalid setting, so a bad deployment fails at start instead of at first use.
 */
export function loadConfig(env: RawSettings, flags: RawSettings = {}): Config {
  const merged: Record<string, string | undefined> = {};
  for (const key of Object.keys(settingsSchema.shape) as (keyof RawSettings)[]) {
    merged[key] = nonEmpty(flags[key]) ?? nonEmpty(env[key]);
  }
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const shown = SECRET_SETTINGS.has(name) ? '(value hidden)' : JSON.stringify(merged[name] ?? '');
      return `${name}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const settings = parsed.data;
  if (settings.VIGIL_ADMIN_PASSWORD && !settings.VIGIL_ADMIN_EMAIL) {
    throw new ConfigError('Invalid configuration: VIGIL_ADMIN_PASSWORD is set but VIGIL_ADMIN_EMAIL is not');
  }
  const dataDir = path.resolve(settings.DATA_DIR);
  const storage: StorageTarget = settings.DATABASE_URL
    ? { kind: 'postgres', url: settings.DATABASE_URL }
    : { kind: 'sqlite', file: path.join(dataDir, 'vigil.db') };
  const displayHost = settings.HOST === '0.0.0.0' || settings.HOST === '::' ? 'localhost' : settings.HOST;
  return {
    port: settings.PORT,
    host: settings.HOST,
    dataDir,
    storage,
    logLevel: settings.LOG_LEVEL,
    publicUrl: (settings.PUBLIC_URL ?? `http://${displayHost}:${settings.PORT}`).replace(/\/+$/, ''),
    adminEmail: settings.VIGIL_ADMIN_EMAIL,
    adminPassword: settings.VIGIL_ADMIN_PASSWORD,
    secretKey: settings.VIGIL_SECRET_KEY,
    egressAllowlist: settings.VIGIL_EGRESS_ALLOWLIST,
    smtp: { url: settings.SMTP_URL, from: settings.SMTP_FROM },
    workers: settings.VIGIL_WORKERS,
    runLeaseMs: settings.VIGIL_RUN_LEASE_MS,
    deliveryRetryMs: settings.VIGIL_DELIVERY_RETRY_MS,
  };
}

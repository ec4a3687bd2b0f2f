import type { FastifySchemaCompiler } from 'fastify';
import type { ZodType } from 'zod';
import type { Severity } from '../common/enums.js';
import { LIMITS } from '../common/limits.js';
import { normalizeEntities, type NormalizedEntity } from '../entities/entity-normalize.js';
import { InputError, LimitExceededError, type ErrorDetail } from '../errors/errors.js';
import { issuesToDetails } from '../http/validation.js';
import { alertInputSchema, type AlertInput } from './alert-schemas.js';

/** An alert checked and normalized, ready to ingest. */
export interface PreparedAlert {
  index: number;
  input: AlertInput;
  sourceKey: string;
  entities: NormalizedEntity[];
  customDetails: Record<string, string[]>;
  startTime: number | null;
  endTime: number | null;
  /** The alert's time: endTime, else startTime, else when it was received. */
  alertTime: number;
  raw: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates the ingest body, telling a batch (`{ alerts: [...] }`) from a single alert so that
 * errors name paths the sender recognises (`alerts[3].severity`, or `severity` for one alert).
 * Oversized batches are 413 naming the limit.
 */
export const ingestBodyValidator: FastifySchemaCompiler<ZodType> = () => (body) => {
  const isBatch = isObject(body) && 'alerts' in body;
  const items: unknown[] = isBatch ? ((body as { alerts: unknown }).alerts as unknown[]) : [body];
  if (isBatch && !Array.isArray(items)) {
    return { error: new InputError('alerts must be an array of alerts', [{ path: 'alerts', message: 'must be an array' }]) };
  }
  if (items.length === 0) {
    return { error: new InputError('alerts must hold at least one alert', [{ path: 'alerts', message: 'is empty' }]) };
  }
  if (items.length > LIMITS.alertsPerBatch) {
    return {
      error: new LimitExceededError(
        `A batch holds at most ${LIMITS.alertsPerBatch} alerts; this one has ${items.length}. Split it into several requests.`,
        [{ path: 'alerts', message: `at most ${LIMITS.alertsPerBatch} alerts per request` }],
      ),
    };
  }
  const alerts: AlertInput[] = [];
  const problems: ErrorDetail[] = [];
  items.forEach((item, index) => {
    const result = alertInputSchema.safeParse(item, { reportInput: true });
    if (result.success) alerts.push(result.data);
    else problems.push(...issuesToDetails(result.error.issues, isBatch ? ['alerts', index] : []));
  });
  if (problems.length > 0) {
    const count = isBatch ? ` (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was ingested)` : '';
    return {
      error: new InputError(`Invalid alert: ${problems[0]!.path} ${problems[0]!.message}${count}`, problems.slice(0, 100)),
    };
  }
  return { value: { alerts, isBatch } };
};

/** The validated body the ingest route receives. */
export interface IngestBody {
  alerts: AlertInput[];
  isBatch: boolean;
}

function toStrings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

/**
 * Normalizes the alerts of a request: entities into canonical form, custom details into lists of
 * strings, times into milliseconds; enforces the raw payload's size. Throws InputError or
 * LimitExceededError naming the alert's path; nothing is written when it does.
 */
export function prepareAlerts(body: IngestBody, receivedAt: number): PreparedAlert[] {
  const prefix = (index: number) => (body.isBatch ? `alerts[${index}].` : '');
  return body.alerts.map((input, index) => {
    const entities = normalizeEntities(input.entities, `${prefix(index)}entities`);
    const customDetails: Record<string, string[]> = {};
    const keys = Object.keys(input.customDetails);
    if (keys.length > LIMITS.customDetailKeys) {
      throw new InputError(
        `${prefix(index)}customDetails has ${keys.length} keys; at most ${LIMITS.customDetailKeys} are allowed`,
        [{ path: `${prefix(index)}customDetails`, message: `at most ${LIMITS.customDetailKeys} keys` }],
      );
    }
    for (const key of keys) customDetails[key] = toStrings(input.customDetails[key]);
    let raw: string | null = null;
    if (input.raw !== undefined) {
      raw = JSON.stringify(input.raw);
      if (Buffer.byteLength(raw) > LIMITS.alertRawBytes) {
        throw new LimitExceededError(
          `${prefix(index)}raw is ${Buffer.byteLength(raw)} bytes as JSON; at most ${LIMITS.alertRawBytes} bytes are kept per alert`,
          [{ path: `${prefix(index)}raw`, message: `at most ${LIMITS.alertRawBytes} bytes` }],
        );
      }
    }
    const startTime = input.startTime ? Date.parse(input.startTime) : null;
    const endTime = input.endTime ? Date.parse(input.endTime) : null;
    if (startTime !== null && endTime !== null && endTime < startTime) {
      throw new InputError(`${prefix(index)}endTime is before startTime`, [
        { path: `${prefix(index)}endTime`, message: 'must not be before startTime' },
      ]);
    }
    return {
      index,
      input,
      sourceKey: input.productName.toLowerCase(),
      entities,
      customDetails,
      startTime,
      endTime,
      alertTime: endTime ?? startTime ?? receivedAt,
      raw,
    };
  });
}

/** The severity an alert gets: its own, else its rule's, else Medium. */
export function alertSeverity(alert: PreparedAlert, ruleSeverity?: Severity): Severity {
  return alert.input.severity ?? ruleSeverity ?? 'Medium';
}

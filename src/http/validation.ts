import type { FastifySchemaCompiler } from 'fastify';
import { z, type ZodType } from 'zod';
import type { ErrorDetail } from '../errors/errors.js';

/** Marks validation failures produced by our compiler, so the error handler can format them. */
export const VALIDATION_ISSUES = Symbol('vigil.validationIssues');

/** A Fastify validation error carrying the problems as `{ path, message }`. */
export interface RequestValidationError extends Error {
  [VALIDATION_ISSUES]: ErrorDetail[];
}

/** "alerts.3.severity" style paths as people read them: `alerts[3].severity`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function describeInput(input: unknown): string {
  if (input === undefined) return '';
  const text = JSON.stringify(input);
  if (text === undefined) return '';
  return ` (got ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
}

/** Fields whose values are never quoted back (they are secrets). */
const SECRET_FIELD = /password|secret|token|apikey/i;

/** Whether a value holds a secret field at any depth (a whole body with `secrets:` is not quoted either). */
function holdsSecret(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > 8) return false;
  return Object.entries(value).some(([key, item]) => SECRET_FIELD.test(key) || holdsSecret(item, depth + 1));
}

/** Turns zod issues into `{ path, message }` details that quote what was sent (except secrets). */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ErrorDetail[] {
  return issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    const secret =
      issue.path.some((segment) => typeof segment === 'string' && SECRET_FIELD.test(segment)) || holdsSecret(issue.input);
    const quoted = secret || (issue.code === 'invalid_type' && issue.input === undefined) ? '' : describeInput(issue.input);
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return { path: path || '(body)', message: `${message}${quoted}` };
  });
}

/** Validates requests with the route's zod schemas and reports every problem with its path. */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data };
    const error = new Error('Request validation failed') as RequestValidationError;
    error[VALIDATION_ISSUES] = issuesToDetails(result.error.issues);
    return { error };
  };

/** Responses are typed at compile time; at run time they are serialized as they are. */
export const jsonSerializerCompiler = () => (data: unknown) => JSON.stringify(data);

/** A query parameter that may repeat (`?status=New&status=Active`) or hold a comma-separated list. */
export function listParam<T extends ZodType>(item: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === '') return undefined;
    const values = Array.isArray(value) ? value : [value];
    return values
      .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
      .map((v) => (typeof v === 'string' ? v.trim() : v))
      .filter((v) => v !== '');
  }, z.array(item).optional());
}

/** A boolean query parameter: true/false/1/0. */
export const booleanParam = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

import type * as CronParser from 'cron-parser';
import { z } from 'zod';
import { MAX_EXPRESSION_LENGTH } from '../expressions/index.js';
import { DURATION_LIMITS, formatDuration, parseDuration } from './durations.js';
import { formatPath, type PathSegment } from './definition-paths.js';
import { didYouMean, quote, type Problem } from './definition-problems.js';
import { lazyRequire } from '../../common/lazy-require.js';

/** The cron parser (and the date library it uses), loaded when a schedule is first read (not at start-up). */
const cronParser = lazyRequire<typeof CronParser>('cron-parser');

/** The authoring format's fields (YAML or JSON), checked with zod; steps are dispatched by kind in definition-steps.ts. */

/** Limits on a definition; each error message names the limit it passes. */
export const DEFINITION_LIMITS = {
  sourceBytes: 256 * 1024,
  steps: 500,
  depth: 20,
  expressionLength: MAX_EXPRESSION_LENGTH,
  nameLength: 200,
  concurrency: 20,
  retries: 10,
  choices: 10,
} as const;

/** Step ids, variable, input and alias names. */
export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

interface RawIssue {
  code?: string;
  input?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: unknown[];
  note?: string;
  options?: unknown[];
  discriminator?: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** How a value looks to its author, for "must be X, not Y" messages. */
export function describeValue(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return quote(input);
}

function sizeMessage(issue: RawIssue, bound: 'at least' | 'at most', limit: number): string {
  switch (issue.origin) {
    case 'string':
      return bound === 'at least' && limit === 1 ? 'must not be empty' : `must have ${bound} ${limit} characters`;
    case 'array':
    case 'set':
      return `must have ${bound} ${limit} ${limit === 1 ? 'item' : 'items'}`;
    default:
      return `must be ${bound} ${limit}`;
  }
}

/** Zod messages in the author's words, quoting what they wrote. */
export const authorErrors: z.core.$ZodErrorMap = (raw) => {
  const issue = raw as unknown as RawIssue;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected ?? ''] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case 'too_small':
      return sizeMessage(issue, 'at least', Number(issue.minimum));
    case 'too_big':
      return sizeMessage(issue, 'at most', Number(issue.maximum));
    case 'invalid_value': {
      const values = (issue.values ?? []).map(String);
      return `must be ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}, not ${describeValue(issue.input)}`;
    }
    case 'invalid_union':
      if (issue.discriminator && typeof issue.input === 'object' && issue.input !== null) {
        const value = (issue.input as Record<string, unknown>)[issue.discriminator];
        return `must be one of ${(issue.options ?? []).map(String).join(', ')}, not ${describeValue(value)}`;
      }
      return undefined;
    default:
      return undefined;
  }
};

/** Every field name of the authoring format, for "did you mean" on unknown keys. */
export const KNOWN_FIELDS = new Set([
  ...['name', 'description', 'enabled', 'trigger', 'inputs', 'connections', 'limits', 'steps', 'type', 'targets', 'cron'],
  ...['timezone', 'required', 'default', 'maxSteps', 'timeout', 'id', 'retry', 'continueOnError', 'count', 'backoff'],
  ...['initial', 'factor', 'max', 'uses', 'with', 'connection', 'if', 'then', 'else', 'switch', 'cases', 'forEach', 'as'],
  ...['concurrency', 'parallel', 'scope', 'onFailure', 'always', 'wait', 'duration', 'until', 'approval', 'message'],
  ...['choices', 'assignees', 'users', 'groups', 'expiresIn', 'defaultChoice', 'notify', 'email', 'slack', 'teams'],
  ...['set', 'stop', 'status'],
]);

/** Problems from zod issues, below `base`; unknown keys become one problem each, with a suggestion. */
export function issueProblems(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PathSegment[],
  fields: Iterable<string> = KNOWN_FIELDS,
): Problem[] {
  return issues.flatMap((issue) => {
    const at = [...base, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...at, key]),
        message: `unknown field "${key}"${didYouMean(key, fields)}`,
      }));
    }
    if (issue.code === 'invalid_key') return [{ path: formatPath(at), message: issue.issues[0]?.message ?? issue.message }];
    return [{ path: formatPath(at), message: issue.message }];
  });
}

/** Parses with author messages; problems are placed below `base`. */
export function parseField<T>(
  schema: z.ZodType<T>,
  value: unknown,
  base: readonly PathSegment[],
  fields?: Iterable<string>,
): { data?: T; problems: Problem[] } {
  const result = schema.safeParse(value, { error: authorErrors, reportInput: true });
  return result.success ? { data: result.data, problems: [] } : { problems: issueProblems(result.error.issues, base, fields) };
}

/** A duration field (`30s`, `5m`, `PT5M`) read as milliseconds, longer than 0 and at most `max`. */
export function durationSchema(max: number) {
  return z.string().transform((text, context) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      context.addIssue({ code: 'custom', message: `${quote(text)} is not a duration; write e.g. 30s, 5m, 2h, 1d or PT5M` });
      return z.NEVER;
    }
    if (ms <= 0) context.addIssue({ code: 'custom', message: 'must be longer than 0' });
    if (ms > max)
      context.addIssue({ code: 'custom', message: `${quote(text)} is longer than ${formatDuration(max)}, the limit` });
    return ms;
  });
}

/** A name that expressions can use (`vars.x`, `connections.vt`, an input). */
export const identifierSchema = z
  .string()
  .regex(IDENTIFIER, { error: (issue) => `${quote(issue.input)} must start with a letter and hold only letters, digits and _` });

function checkCron(cron: string, context: z.core.$RefinementCtx<string>): void {
  const fields = cron.trim().split(/\s+/).length;
  if (!cron.trim().startsWith('@') && (fields < 5 || fields > 6)) {
    context.addIssue({ code: 'custom', message: `${quote(cron)} has ${fields} fields; a cron has 5 (or 6 with seconds)` });
    return;
  }
  try {
    cronParser().CronExpressionParser.parse(cron);
  } catch (error) {
    context.addIssue({ code: 'custom', message: `${quote(cron)} is not a valid cron: ${(error as Error).message}` });
  }
}

function checkTimezone(timezone: string, context: z.core.$RefinementCtx<string>): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    context.addIssue({ code: 'custom', message: `${quote(timezone)} is not a known IANA time zone (e.g. Europe/Paris, UTC)` });
  }
}

const TARGETS = ['incident', 'alert', 'entity'] as const;

/** `trigger:` as a word (`incident`) or a mapping (`{ type: schedule, cron, timezone }`). */
export const triggerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('incident') }),
  z.strictObject({ type: z.literal('alert') }),
  z.strictObject({ type: z.literal('webhook') }),
  z.strictObject({
    type: z.literal('manual'),
    targets: z
      .array(z.enum(TARGETS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'lists a target twice')
      .default([...TARGETS]),
  }),
  z.strictObject({
    type: z.literal('schedule'),
    cron: z.string().superRefine(checkCron),
    timezone: z.string().superRefine(checkTimezone).default('UTC'),
  }),
]);

const INPUT_TYPES = ['string', 'number', 'boolean', 'object', 'array'] as const;

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

/** One declared input: `{ type, required, default, description }`. */
export const inputSchema = z
  .strictObject({
    type: z.enum(INPUT_TYPES).default('string'),
    required: z.boolean().default(false),
    default: z.unknown().optional(),
    description: z.string().max(2_000).optional(),
  })
  .superRefine((input, context) => {
    if (input.default !== undefined && typeOf(input.default) !== input.type) {
      context.addIssue({
        code: 'custom',
        path: ['default'],
        message: `must be ${TYPE_NAMES[input.type] ?? input.type}, not ${describeValue(input.default)}`,
      });
    }
  });

/** `limits:` of a playbook: it may lower the server's. */
export const limitsSchema = z.strictObject({
  maxSteps: z.int().min(1).max(1_000_000).optional(),
  timeout: durationSchema(DURATION_LIMITS.runTimeout).optional(),
});

/** The top-level fields other than `trigger` and `steps`. */
export const TOP_LEVEL_SCHEMAS = {
  name: z.string().trim().min(1).max(DEFINITION_LIMITS.nameLength),
  description: z.string().max(20_000).default(''),
  enabled: z.boolean().default(true),
  inputs: z.record(identifierSchema, inputSchema).default({}),
  connections: z.record(identifierSchema, z.string().trim().min(1).max(200)).default({}),
  limits: limitsSchema.optional(),
};

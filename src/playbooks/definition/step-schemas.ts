import { z } from 'zod';
import { DURATION_LIMITS } from './durations.js';
import { DEFINITION_LIMITS, durationSchema, identifierSchema } from './definition-schema.js';

/** The fields of each kind of step, as authors write them. Nested step lists are checked one step at a time. */

/** The key that decides a step's kind, and the kind it gives. */
export const KIND_KEYS = {
  uses: 'action',
  if: 'if',
  switch: 'switch',
  forEach: 'forEach',
  parallel: 'parallel',
  scope: 'scope',
  wait: 'wait',
  approval: 'approval',
  set: 'set',
  stop: 'stop',
} as const;

export type KindKey = keyof typeof KIND_KEYS;

const stepList = z.array(z.unknown());

const backoffSchema = z.strictObject({
  initial: durationSchema(DURATION_LIMITS.backoff).optional(),
  factor: z.number().min(1).max(10).optional(),
  max: durationSchema(DURATION_LIMITS.backoff).optional(),
});

/** `retry: { count, backoff: { initial, factor, max } }`, with defaults 1s, 2 and 1m. */
export const retrySchema = z
  .strictObject({ count: z.int().min(0).max(DEFINITION_LIMITS.retries), backoff: backoffSchema.optional() })
  .transform(({ count, backoff }) => ({
    count,
    initialDelay: backoff?.initial ?? 1_000,
    factor: backoff?.factor ?? 2,
    maxDelay: backoff?.max ?? 60_000,
  }));

const common = {
  id: z.unknown().optional(),
  name: z.string().trim().min(1).max(DEFINITION_LIMITS.nameLength).optional(),
  timeout: durationSchema(DURATION_LIMITS.stepTimeout).optional(),
  retry: retrySchema.optional(),
  continueOnError: z.boolean().default(false),
};

/** Fields every step may have. */
export const COMMON_FIELDS = Object.keys(common);

const approvalSchema = z.strictObject({
  message: z.string().trim().min(1).max(10_000),
  choices: z.array(z.string().trim().min(1).max(100)).min(2).max(DEFINITION_LIMITS.choices),
  assignees: z.strictObject({
    users: z.array(z.string().trim().min(1).max(320)).max(100).default([]),
    groups: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  }),
  expiresIn: durationSchema(DURATION_LIMITS.expiresIn),
  defaultChoice: z.string().trim().min(1),
  notify: z
    .strictObject({ email: z.boolean().default(true), slack: identifierSchema.optional(), teams: identifierSchema.optional() })
    .default({ email: true }),
});

/** Each kind's schema: the common fields and its own. */
export const STEP_SCHEMAS = {
  uses: z.strictObject({
    ...common,
    uses: z.string().trim().min(1).max(200),
    with: z.record(z.string(), z.unknown()).default({}),
    connection: identifierSchema.optional(),
  }),
  if: z.strictObject({ ...common, if: z.string().trim().min(1), then: stepList, else: stepList.default([]) }),
  switch: z.strictObject({
    ...common,
    switch: z.string().trim().min(1),
    cases: z.record(z.string(), stepList).refine((cases) => Object.keys(cases).length > 0, 'needs at least one case'),
    default: stepList.default([]),
  }),
  forEach: z.strictObject({
    ...common,
    forEach: z.union([z.string().trim().min(1), z.array(z.unknown())], {
      error: 'must be an expression (${{ … }}) or a list',
    }),
    as: identifierSchema.default('item'),
    concurrency: z.int().min(1).max(DEFINITION_LIMITS.concurrency).default(1),
    steps: stepList.min(1),
  }),
  parallel: z.strictObject({
    ...common,
    parallel: z.array(z.strictObject({ name: z.string().trim().min(1).max(200).optional(), steps: stepList.min(1) })).min(1),
  }),
  scope: z.strictObject({ ...common, scope: stepList.min(1), onFailure: stepList.default([]), always: stepList.default([]) }),
  wait: z.strictObject({
    ...common,
    wait: z.strictObject({
      duration: durationSchema(DURATION_LIMITS.wait).optional(),
      until: z.string().trim().min(1).optional(),
    }),
  }),
  approval: z.strictObject({ ...common, approval: approvalSchema }),
  set: z.strictObject({
    ...common,
    set: z.record(identifierSchema, z.unknown()).refine((values) => Object.keys(values).length > 0, 'sets no variable'),
  }),
  stop: z.strictObject({
    ...common,
    stop: z.strictObject({ status: z.enum(['succeeded', 'failed']), message: z.string().max(10_000).optional() }),
  }),
} satisfies Record<KindKey, z.ZodType>;

/** The fields a step of each kind may have, for "unknown field" messages. */
export function fieldsOf(key: KindKey): string[] {
  return Object.keys(STEP_SCHEMAS[key].shape);
}

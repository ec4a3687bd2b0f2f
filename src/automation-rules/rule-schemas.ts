import { z } from 'zod';
import { actorSchema } from '../common/actor.js';
import {
  classificationReasonSchema,
  classificationSchema,
  determinationSchema,
  incidentStatusSchema,
  severitySchema,
} from '../common/enums.js';
import { LIMITS } from '../common/limits.js';
import { ownerInputSchema } from '../users/owner.js';
import { OPERATORS, PROPERTY_NAMES, type Operator, type PropertyName } from './rule-properties.js';

export const RULE_LIMITS = { perWorkspace: 512, conditions: 50, actions: 20, nameLength: 500, innerConditions: 10 } as const;

export const TRIGGERS = ['incidentCreated', 'incidentUpdated', 'alertCreated'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const ARRAY_TYPES = ['CustomDetails', 'CustomDetailValues', 'IncidentLabels'] as const;
export const CHANGED_PROPERTIES = ['IncidentSeverity', 'IncidentStatus', 'IncidentOwner'] as const;
export const CHANGE_TYPES = ['Changed', 'ChangedFrom', 'ChangedTo'] as const;
export const ARRAY_CHANGED_TYPES = ['Alerts', 'Labels', 'Tactics', 'Comments'] as const;

/** A condition of an automation rule: Sentinel's condition model (shared/sentinel/model.md §3.2). */
export type Condition =
  | { type: 'property'; property: PropertyName; operator: Operator; values: string[] }
  | { type: 'propertyArray'; array: (typeof ARRAY_TYPES)[number]; match: 'AnyItem' | 'AllItems'; conditions: Condition[] }
  | {
      type: 'propertyChanged';
      property: (typeof CHANGED_PROPERTIES)[number];
      change: (typeof CHANGE_TYPES)[number];
      operator?: Operator;
      values?: string[];
    }
  | { type: 'propertyArrayChanged'; array: (typeof ARRAY_CHANGED_TYPES)[number]; change: 'Added' }
  | { type: 'boolean'; operator: 'And' | 'Or'; conditions: Condition[] };

const oneOf = (values: readonly string[]) => ({ error: `must be one of ${values.join(', ')}` });
const values = z.array(z.string().max(1000)).min(1, 'needs at least one value').max(100, 'at most 100 values');

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('property'),
        property: z.enum(PROPERTY_NAMES as [PropertyName, ...PropertyName[]], oneOf(PROPERTY_NAMES)),
        operator: z.enum(OPERATORS, oneOf(OPERATORS)),
        values,
      }),
      z.strictObject({
        type: z.literal('propertyArray'),
        array: z.enum(ARRAY_TYPES, oneOf(ARRAY_TYPES)),
        match: z.enum(['AnyItem', 'AllItems'], oneOf(['AnyItem', 'AllItems'])),
        conditions: z
          .array(conditionSchema)
          .min(1)
          .max(RULE_LIMITS.innerConditions, `at most ${RULE_LIMITS.innerConditions} item conditions`),
      }),
      z
        .strictObject({
          type: z.literal('propertyChanged'),
          property: z.enum(CHANGED_PROPERTIES, oneOf(CHANGED_PROPERTIES)),
          change: z.enum(CHANGE_TYPES, oneOf(CHANGE_TYPES)),
          operator: z.enum(OPERATORS, oneOf(OPERATORS)).optional(),
          values: values.optional(),
        })
        .refine((c) => c.change === 'Changed' || (c.operator !== undefined && c.values !== undefined), {
          message: 'ChangedFrom and ChangedTo need an operator and values',
          path: ['operator'],
        }),
      z.strictObject({
        type: z.literal('propertyArrayChanged'),
        array: z.enum(ARRAY_CHANGED_TYPES, oneOf(ARRAY_CHANGED_TYPES)),
        change: z.literal('Added', { error: 'must be Added' }),
      }),
      z.strictObject({
        type: z.literal('boolean'),
        operator: z.enum(['And', 'Or'], oneOf(['And', 'Or'])),
        conditions: z
          .array(conditionSchema)
          .min(2, 'a group needs at least 2 conditions')
          .max(RULE_LIMITS.innerConditions, `a group holds at most ${RULE_LIMITS.innerConditions} conditions`),
      }),
    ],
    { error: 'must have a type: property, propertyArray, propertyChanged, propertyArrayChanged or boolean' },
  ),
);

const closingFields = {
  classification: classificationSchema.optional(),
  classificationReason: classificationReasonSchema.optional(),
  classificationComment: z.string().max(LIMITS.commentLength).optional(),
  determination: determinationSchema.optional(),
};

/** An action of an automation rule (model.md §3.3, with Sentinel's ModifyProperties split by field). */
export const actionSchema = z.discriminatedUnion(
  'type',
  [
    z
      .strictObject({ type: z.literal('changeStatus'), status: incidentStatusSchema, ...closingFields })
      .refine((a) => a.status !== 'Closed' || a.classification !== undefined, {
        message: 'closing needs a classification',
        path: ['classification'],
      })
      .refine((a) => a.status !== 'Closed' || a.classificationComment !== undefined, {
        message: 'closing needs a comment (the resolution note)',
        path: ['classificationComment'],
      })
      .refine((a) => a.status !== 'Closed' || a.classification === 'Undetermined' || a.classificationReason !== undefined, {
        message: 'closing as TruePositive, BenignPositive or FalsePositive needs a classificationReason',
        path: ['classificationReason'],
      }),
    z.strictObject({ type: z.literal('changeSeverity'), severity: severitySchema }),
    z.strictObject({ type: z.literal('assignOwner'), owner: ownerInputSchema }),
    z.strictObject({ type: z.literal('unassignOwner') }),
    z.strictObject({ type: z.literal('addTags'), tags: z.array(z.string().trim().min(1).max(LIMITS.tagLength)).min(1).max(50) }),
    z.strictObject({
      type: z.literal('removeTags'),
      tags: z.array(z.string().trim().min(1).max(LIMITS.tagLength)).min(1).max(50),
    }),
    z.strictObject({
      type: z.literal('addTask'),
      title: z.string().trim().min(1, 'must not be empty').max(150, 'must be at most 150 characters'),
      description: z.string().max(3000, 'must be at most 3000 characters').default(''),
    }),
    z.strictObject({
      type: z.literal('runPlaybook'),
      playbook: z.string().trim().min(1).max(500).describe('Playbook id or name'),
    }),
  ],
  {
    error:
      'must have a type: changeStatus, changeSeverity, assignOwner, unassignOwner, addTags, removeTags, addTask or runPlaybook',
  },
);
export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action['type'];
export const ACTION_TYPES = [
  'changeStatus',
  'changeSeverity',
  'assignOwner',
  'unassignOwner',
  'addTags',
  'removeTags',
  'addTask',
  'runPlaybook',
] as const;

const ruleFields = {
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(RULE_LIMITS.nameLength, `must be at most ${RULE_LIMITS.nameLength} characters`),
  description: z.string().max(5000),
  order: z.number().int().min(1, 'must be between 1 and 1000').max(1000, 'must be between 1 and 1000'),
  enabled: z.boolean(),
  expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).nullable(),
  trigger: z.enum(TRIGGERS, oneOf(TRIGGERS)),
  analyticsRuleIds: z
    .array(z.string().min(1).max(500))
    .max(500)
    .nullable()
    .describe('The analytics rules the rule applies to (ids, or the source ids of the rules); null: all'),
  conditions: z.array(conditionSchema).max(RULE_LIMITS.conditions, `at most ${RULE_LIMITS.conditions} conditions`),
  actions: z
    .array(actionSchema)
    .min(1, 'needs at least one action')
    .max(RULE_LIMITS.actions, `at most ${RULE_LIMITS.actions} actions`),
};

export const ruleInputSchema = z
  .strictObject({
    ...ruleFields,
    description: ruleFields.description.default(''),
    enabled: ruleFields.enabled.default(true),
    expiresAt: ruleFields.expiresAt.default(null),
    analyticsRuleIds: ruleFields.analyticsRuleIds.default(null),
    conditions: ruleFields.conditions.default([]),
  })
  .meta({ id: 'AutomationRuleDefinition' });
export type RuleInput = z.infer<typeof ruleInputSchema>;

export const rulePatchSchema = z
  .strictObject(ruleFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'AutomationRulePatch' });
export type RulePatch = z.infer<typeof rulePatchSchema>;

export const ruleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    order: z.number().int(),
    enabled: z.boolean(),
    expiresAt: z.string().nullable(),
    expired: z.boolean(),
    trigger: z.enum(TRIGGERS),
    analyticsRuleIds: z.array(z.string()).nullable(),
    analyticsRules: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .nullable()
      .describe('The analytics rules covered; null: all'),
    conditions: z.array(conditionSchema),
    actions: z.array(z.unknown()),
    createdBy: actorSchema,
    modifiedBy: actorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'AutomationRule' });
export type RuleView = z.infer<typeof ruleSchema>;

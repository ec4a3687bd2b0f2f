import { z } from 'zod';
import { actorSchema } from '../common/actor.js';
import { SEVERITIES, severitySchema } from '../common/enums.js';
import { LIMITS } from '../common/limits.js';
import { DELIVERY_STATUSES } from '../events/index.js';

/** Limits on notification rules; error messages quote them. */
export const NOTIFICATION_LIMITS = {
  rulesPerWorkspace: 100,
  recipientsPerRule: 50,
  filterValues: 50,
  nameLength: 200,
  descriptionLength: 2_000,
  /** Emails sent at once per recipient and rule within one rate-limit window (the default of `digestAfter`). */
  defaultDigestAfter: 10,
  maxDigestAfter: 100,
} as const;

/** How long a rate-limit window lasts: at most `digestAfter` emails at once, then one digest at its end. */
export const RATE_WINDOW_MS = 10 * 60 * 1000;

/** The kinds of incident update a rule can ask to be told about. */
export const UPDATE_KINDS = ['status', 'severity', 'owner', 'alerts', 'comments'] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];

const oneOf = (values: readonly string[]) => ({ error: `must be one of ${values.join(', ')}` });
const many = (what: string) => `at most ${NOTIFICATION_LIMITS.filterValues} ${what}`;

const nameSchema = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'must not be empty')
  .max(NOTIFICATION_LIMITS.nameLength, `must be at most ${NOTIFICATION_LIMITS.nameLength} characters`);
const descriptionSchema = z
  .string()
  .max(NOTIFICATION_LIMITS.descriptionLength, `must be at most ${NOTIFICATION_LIMITS.descriptionLength} characters`);
const filterText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.tagLength, `must be at most ${LIMITS.tagLength} characters`);

export const triggersSchema = z
  .strictObject({
    created: z.boolean().default(false).describe('Mail when an incident is created'),
    updates: z
      .array(z.enum(UPDATE_KINDS, oneOf(UPDATE_KINDS)))
      .max(UPDATE_KINDS.length)
      .default([])
      .describe('Mail when an incident changes in one of these ways'),
  })
  .refine((t) => t.created || t.updates.length > 0, { message: 'needs created: true or at least one kind of update' })
  .meta({ id: 'NotificationTriggers' });
export type NotificationTriggers = z.infer<typeof triggersSchema>;

export const filtersInputSchema = z
  .strictObject({
    severities: z.array(severitySchema).max(SEVERITIES.length).default([]).describe('Any of these severities'),
    products: z.array(filterText).max(NOTIFICATION_LIMITS.filterValues, many('products')).default([]),
    analyticsRules: z
      .array(z.string().trim().min(1, 'must not be empty').max(500))
      .max(NOTIFICATION_LIMITS.filterValues, many('analytics rules'))
      .default([])
      .describe('Analytics rules by id, source id or name'),
    tags: z.array(filterText).max(NOTIFICATION_LIMITS.filterValues, many('tags')).default([]),
    hostGroups: z
      .array(filterText)
      .max(NOTIFICATION_LIMITS.filterValues, many('host groups'))
      .default([])
      .describe('Device/host groups: a Host entity’s group property, or an incident tag `hostGroup:<name>`'),
  })
  .meta({ id: 'NotificationFiltersInput' });
export type NotificationFiltersInput = z.infer<typeof filtersInputSchema>;

export const recipientsInputSchema = z
  .strictObject({
    users: z
      .array(z.string().trim().min(1, 'must not be empty').max(320))
      .default([])
      .describe('Members of the workspace, by id or email'),
    groups: z
      .array(z.string().trim().min(1, 'must not be empty').max(200))
      .default([])
      .describe('Groups with a role in the workspace, by id or name'),
    addresses: z
      .array(z.email({ error: 'must be an email address' }).max(320, 'must be at most 320 characters'))
      .default([])
      .describe('Other email addresses'),
  })
  .superRefine((r, ctx) => {
    const total = r.users.length + r.groups.length + r.addresses.length;
    if (total === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one user, group or address', input: r });
    if (total > NOTIFICATION_LIMITS.recipientsPerRule) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${NOTIFICATION_LIMITS.recipientsPerRule} recipients per rule (users, groups and addresses together); got ${total}`,
      });
    }
  })
  .meta({ id: 'NotificationRecipientsInput' });
export type NotificationRecipientsInput = z.infer<typeof recipientsInputSchema>;

const digestAfterSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(NOTIFICATION_LIMITS.maxDigestAfter, `must be at most ${NOTIFICATION_LIMITS.maxDigestAfter}`)
  .describe('Emails sent at once per recipient in 10 minutes; later events in the window go into one digest at its end');

export const notificationRuleCreateSchema = z
  .strictObject({
    name: nameSchema,
    description: descriptionSchema.default(''),
    enabled: z.boolean().default(true),
    triggers: triggersSchema,
    filters: filtersInputSchema.default({ severities: [], products: [], analyticsRules: [], tags: [], hostGroups: [] }),
    recipients: recipientsInputSchema,
    includeSummary: z.boolean().default(false).describe("Add the incident's latest alerts and its entities to each email"),
    digestAfter: digestAfterSchema.default(NOTIFICATION_LIMITS.defaultDigestAfter),
  })
  .meta({ id: 'NotificationRuleCreate' });
export type NotificationRuleCreate = z.infer<typeof notificationRuleCreateSchema>;

export const notificationRulePatchSchema = z
  .strictObject({
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    enabled: z.boolean().optional(),
    triggers: triggersSchema.optional().describe('Replaces the triggers'),
    filters: filtersInputSchema.optional().describe('Replaces the filters'),
    recipients: recipientsInputSchema.optional().describe('Replaces the recipients'),
    includeSummary: z.boolean().optional(),
    digestAfter: digestAfterSchema.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'NotificationRulePatch' });
export type NotificationRulePatch = z.infer<typeof notificationRulePatchSchema>;

export const notificationRuleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    triggers: z.object({ created: z.boolean(), updates: z.array(z.enum(UPDATE_KINDS)) }),
    filters: z.object({
      severities: z.array(z.enum(SEVERITIES)),
      products: z.array(z.string()),
      analyticsRules: z.array(z.object({ id: z.string(), name: z.string() })),
      tags: z.array(z.string()),
      hostGroups: z.array(z.string()),
    }),
    recipients: z.object({
      users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
      groups: z.array(z.object({ id: z.string(), name: z.string() })),
      addresses: z.array(z.string()),
    }),
    includeSummary: z.boolean(),
    digestAfter: z.number().int(),
    createdBy: actorSchema,
    modifiedBy: actorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'NotificationRule' });
export type NotificationRule = z.infer<typeof notificationRuleSchema>;

export const notificationDeliverySchema = z
  .object({
    id: z.string(),
    ruleId: z.string(),
    recipient: z.string().nullable(),
    eventId: z.string(),
    eventType: z.string().describe('incident.created, incident.updated, comment.added, or notification.digest'),
    incidentId: z.string().nullable(),
    subject: z.string().nullable(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    error: z.string().nullable().describe('The SMTP error of the last failed attempt'),
    note: z.string().nullable().describe('Why it was skipped (rate limit: folded into a digest), or what the server answered'),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .meta({ id: 'NotificationDelivery' });
export type NotificationDelivery = z.infer<typeof notificationDeliverySchema>;

export const deliveryQuerySchema = z.object({
  status: z.enum(DELIVERY_STATUSES, oneOf(DELIVERY_STATUSES)).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(500, 'must be at most 500').default(50),
  cursor: z.string().max(500).optional(),
});
export type DeliveryQuery = z.infer<typeof deliveryQuerySchema>;

export const testSendResultSchema = z
  .object({
    results: z.array(
      z.object({
        recipient: z.string(),
        status: z.enum(['sent', 'failed', 'skipped']),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'NotificationTestResult' });
export type TestSendResult = z.infer<typeof testSendResultSchema>;

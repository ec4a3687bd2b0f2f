import { z } from 'zod';
import { actorSchema } from '../common/actor.js';
import { EVENT_TYPES } from '../events/index.js';

/** Subscription limits: per workspace, URL length, events. */
export const WEBHOOK_LIMITS = { perWorkspace: 50, urlLength: 2000, secretMin: 16, secretMax: 256 } as const;

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

const urlSchema = z
  .string()
  .trim()
  .max(WEBHOOK_LIMITS.urlLength, `must be at most ${WEBHOOK_LIMITS.urlLength} characters`)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without credentials in it');

const eventsSchema = z
  .array(z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }))
  .min(1, 'must name at least one event')
  .max(EVENT_TYPES.length)
  .transform((events) => [...new Set(events)])
  .describe(`Events to send: ${EVENT_TYPES.join(', ')}`);

const secretSchema = z
  .string()
  .min(WEBHOOK_LIMITS.secretMin, `must be at least ${WEBHOOK_LIMITS.secretMin} characters`)
  .max(WEBHOOK_LIMITS.secretMax, `must be at most ${WEBHOOK_LIMITS.secretMax} characters`);

export const webhookSubscriptionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    enabled: z.boolean(),
    createdBy: actorSchema,
    modifiedBy: actorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    etag: z.string(),
  })
  .meta({ id: 'WebhookSubscription' });
export type WebhookSubscription = z.infer<typeof webhookSubscriptionSchema>;

/** A subscription with its signing secret: returned once, when it is created or the secret rotated. */
export const webhookWithSecretSchema = webhookSubscriptionSchema
  .extend({ secret: z.string().describe('The HMAC signing secret; shown only now') })
  .meta({ id: 'WebhookSubscriptionWithSecret' });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const webhookCreateSchema = z
  .strictObject({
    name: nameSchema,
    description: z.string().max(2000, 'must be at most 2000 characters').default(''),
    url: urlSchema,
    events: eventsSchema,
    enabled: z.boolean().default(true),
    secret: secretSchema.optional().describe('Signing secret; generated (and returned once) when not given'),
  })
  .meta({ id: 'WebhookSubscriptionCreate' });
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

export const webhookPatchSchema = z
  .strictObject({
    name: nameSchema.optional(),
    description: z.string().max(2000, 'must be at most 2000 characters').optional(),
    url: urlSchema.optional(),
    events: eventsSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' })
  .meta({ id: 'WebhookSubscriptionPatch' });
export type WebhookPatch = z.infer<typeof webhookPatchSchema>;

/** The result of a test delivery, made at once. */
export const webhookTestResultSchema = z
  .object({
    delivered: z.boolean(),
    responseCode: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number(),
  })
  .meta({ id: 'WebhookTestResult' });
export type WebhookTestResult = z.infer<typeof webhookTestResultSchema>;

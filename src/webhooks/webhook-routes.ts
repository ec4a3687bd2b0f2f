import { z } from 'zod';
import { deliveryQuerySchema, deliverySchema } from '../events/index.js';
import { errorResponses, normalizeEtag, pageOf, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import {
  webhookCreateSchema,
  webhookPatchSchema,
  webhookSubscriptionSchema,
  webhookTestResultSchema,
  webhookWithSecretSchema,
} from './webhook-schemas.js';
import type { WebhookService } from './webhook-service.js';

const BASE = '/api/v1/workspaces/:workspace/webhook-subscriptions';
const tags = ['Outbound webhooks'];
const webhookParams = workspaceParams.extend({ webhook: z.string().min(1).max(200) });
const deliveryParams = webhookParams.extend({ delivery: z.string().min(1).max(64) });
const etagHeaders = z.object({ 'if-match': z.string().max(100).optional() });

/** HTTP routes for outbound webhook subscriptions and their delivery logs. */
export function registerWebhookSubscriptionRoutes(server: VigilServer, webhooks: WebhookService): void {
  server.get(BASE, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: "The workspace's webhook subscriptions",
      params: workspaceParams,
      response: { 200: z.object({ items: z.array(webhookSubscriptionSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await webhooks.list(request.access) }),
  });

  server.post(BASE, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Subscribe a URL to events (the signing secret is returned only in this response)',
      params: workspaceParams,
      body: webhookCreateSchema,
      response: { 201: webhookWithSecretSchema, 409: errorResponses[400], 413: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const made = await webhooks.create(request.access, request.body);
      return reply.status(201).header('etag', made.etag).send(made);
    },
  });

  server.get(`${BASE}/:webhook`, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'Get a subscription by id or name',
      params: webhookParams,
      response: { 200: webhookSubscriptionSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const found = await webhooks.get(request.access, request.params.webhook);
      return reply.header('etag', found.etag).send(found);
    },
  });

  server.patch(`${BASE}/:webhook`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Change a subscription (name, URL, events, enabled)',
      params: webhookParams,
      headers: etagHeaders,
      body: webhookPatchSchema,
      response: { 200: webhookSubscriptionSchema, 409: errorResponses[400], 412: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const changed = await webhooks.update(
        request.access,
        request.params.webhook,
        request.body,
        normalizeEtag(request.headers['if-match']),
      );
      return reply.header('etag', changed.etag).send(changed);
    },
  });

  server.delete(`${BASE}/:webhook`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Delete a subscription (its delivery log is kept for 30 days)',
      params: webhookParams,
      headers: etagHeaders,
      response: { 204: z.null(), 412: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      await webhooks.remove(request.access, request.params.webhook, normalizeEtag(request.headers['if-match']));
      return reply.status(204).send(null);
    },
  });

  server.post(`${BASE}/:webhook/rotate-secret`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Replace the signing secret (the new one is returned only in this response)',
      params: webhookParams,
      response: { 200: webhookWithSecretSchema, ...errorResponses },
    },
    handler: async (request) => webhooks.rotateSecret(request.access, request.params.webhook),
  });

  server.post(`${BASE}/:webhook/test`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Send a signed `ping` event now and report the answer',
      params: webhookParams,
      response: { 200: webhookTestResultSchema, ...errorResponses },
    },
    handler: async (request) => webhooks.test(request.access, request.params.webhook),
  });

  server.get(`${BASE}/:webhook/deliveries`, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'The delivery log: each event sent, retried, failed (with the answer) or skipped, newest first',
      params: webhookParams,
      querystring: deliveryQuerySchema,
      response: { 200: pageOf(deliverySchema), ...errorResponses },
    },
    handler: async (request) => webhooks.deliveries(request.access, request.params.webhook, request.query),
  });

  server.post(`${BASE}/:webhook/deliveries/:delivery/redeliver`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Send an ended delivery’s payload again, as a new delivery',
      params: deliveryParams,
      response: { 202: deliverySchema, 409: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const made = await webhooks.redeliver(request.access, request.params.webhook, request.params.delivery);
      return reply.status(202).send(made);
    },
  });
}

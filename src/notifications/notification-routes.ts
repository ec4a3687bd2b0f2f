import { z } from 'zod';
import { errorResponses, normalizeEtag, pageOf, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import {
  deliveryQuerySchema,
  notificationDeliverySchema,
  notificationRuleCreateSchema,
  notificationRulePatchSchema,
  notificationRuleSchema,
  testSendResultSchema,
} from './notification-schemas.js';
import type { NotificationService } from './notification-service.js';

const BASE = '/api/v1/workspaces/:workspace/notification-rules';
const tags = ['Notification rules'];
const ruleParams = workspaceParams.extend({ rule: z.string().min(1).max(200) });
const etagHeaders = z.object({ 'if-match': z.string().max(100).optional() });

/** HTTP routes for email notification rules: CRUD, test send, delivery log. */
export function registerNotificationRoutes(server: VigilServer, rules: NotificationService): void {
  server.get(BASE, {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary: "The workspace's email notification rules",
      params: workspaceParams,
      response: { 200: z.object({ items: z.array(notificationRuleSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await rules.list(request.access) }),
  });

  server.post(BASE, {
    config: { permission: 'rules.write' },
    schema: {
      tags,
      summary: 'Create a notification rule (at most 100 per workspace, 50 recipients each)',
      params: workspaceParams,
      body: notificationRuleCreateSchema,
      response: {
        201: notificationRuleSchema,
        409: errorResponses[400],
        413: errorResponses[400],
        422: errorResponses[400],
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const rule = await rules.create(request.access, request.body);
      return reply.status(201).header('etag', rule.etag).send(rule);
    },
  });

  server.get(`${BASE}/:rule`, {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary: 'Get a notification rule by id or name',
      params: ruleParams,
      response: { 200: notificationRuleSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const rule = await rules.get(request.access, request.params.rule);
      return reply.header('etag', rule.etag).send(rule);
    },
  });

  server.patch(`${BASE}/:rule`, {
    config: { permission: 'rules.write' },
    schema: {
      tags,
      summary: 'Change a notification rule (enable/disable with `enabled`); triggers, filters and recipients are replaced whole',
      params: ruleParams,
      headers: etagHeaders,
      body: notificationRulePatchSchema,
      response: {
        200: notificationRuleSchema,
        409: errorResponses[400],
        412: errorResponses[400],
        422: errorResponses[400],
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const rule = await rules.update(
        request.access,
        request.params.rule,
        request.body,
        normalizeEtag(request.headers['if-match']),
      );
      return reply.header('etag', rule.etag).send(rule);
    },
  });

  server.delete(`${BASE}/:rule`, {
    config: { permission: 'rules.write' },
    schema: { tags, summary: 'Delete a notification rule', params: ruleParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      await rules.remove(request.access, request.params.rule);
      return reply.status(204).send(null);
    },
  });

  server.post(`${BASE}/:rule/test`, {
    config: { permission: 'rules.write' },
    schema: {
      tags,
      summary: "Send a sample email to the rule's recipients now; the result for each recipient",
      params: ruleParams,
      response: { 200: testSendResultSchema, 422: errorResponses[400], ...errorResponses },
    },
    handler: (request) => rules.test(request.access, request.params.rule),
  });

  server.get(`${BASE}/:rule/deliveries`, {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary:
        "The rule's delivery log, newest first: sent, pending (retrying), failed (with the SMTP error), skipped (rate limit, folded into a digest)",
      params: ruleParams,
      querystring: deliveryQuerySchema,
      response: { 200: pageOf(notificationDeliverySchema), ...errorResponses },
    },
    handler: (request) => rules.deliveries(request.access, request.params.rule, request.query),
  });
}

import { z } from 'zod';
import { errorResponses, normalizeEtag, pageOf, paginationQuery, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { booleanParam } from '../http/validation.js';
import { analyticsRuleCreateSchema, analyticsRulePatchSchema, analyticsRuleSchema } from './analytics-rule-schemas.js';
import type { AnalyticsRuleService } from './analytics-rule-service.js';

const BASE = '/api/v1/workspaces/:workspace/analytics-rules';
const tags = ['Analytics rules'];
const ruleParams = workspaceParams.extend({ rule: z.string().min(1).max(64) });

/** HTTP routes for analytics rules. */
export function registerAnalyticsRuleRoutes(server: VigilServer, rules: AnalyticsRuleService): void {
  server.get(BASE, {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary: 'List analytics rules by name',
      params: workspaceParams,
      querystring: z.object({ q: z.string().max(200).optional(), enabled: booleanParam.optional(), ...paginationQuery }),
      response: { 200: pageOf(analyticsRuleSchema), ...errorResponses },
    },
    handler: (request) => rules.list(request.access, request.query),
  });

  server.post(BASE, {
    config: { permission: 'rules.write' },
    schema: {
      tags,
      summary: 'Create an analytics rule',
      params: workspaceParams,
      body: analyticsRuleCreateSchema,
      response: { 201: analyticsRuleSchema, ...errorResponses },
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
      summary: 'Get an analytics rule',
      params: ruleParams,
      response: { 200: analyticsRuleSchema, ...errorResponses },
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
      summary: 'Change an analytics rule (name, severity, grouping, …)',
      params: ruleParams,
      headers: z.object({ 'if-match': z.string().max(100).optional() }),
      body: analyticsRulePatchSchema,
      response: { 200: analyticsRuleSchema, ...errorResponses },
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
}

import { z } from 'zod';
import { errorResponses, normalizeEtag, pageOf, paginationQuery, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { ACTION_TYPES, ruleInputSchema, rulePatchSchema, ruleSchema, TRIGGERS } from './rule-schemas.js';
import type { AutomationRuleService } from './rule-service.js';
import type { Access } from '../auth/permissions.js';
import { incidentFilterSchema, incidentParams, type IncidentListQuery } from '../incidents/incident-schemas.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import { draftFromIncident } from './rule-draft.js';
import { dryRun } from './rule-dry-run.js';

const BASE = '/api/v1/workspaces/:workspace/automation-rules';
const tags = ['Automation rules'];
const ruleParams = workspaceParams.extend({ rule: z.string().min(1).max(64) });

const runSchema = z
  .object({
    id: z.string(),
    ruleId: z.string(),
    ruleName: z.string(),
    incidentId: z.string().nullable(),
    incidentNumber: z.number().int().nullable(),
    alertId: z.string().nullable(),
    trigger: z.enum(TRIGGERS),
    outcome: z.string().describe('applied, unchanged, partial or failed'),
    results: z.array(z.unknown()).describe('What each action did: applied, unchanged, failed (with why) or pending'),
    createdAt: z.string(),
  })
  .meta({ id: 'AutomationRuleRun' });

/** What the dry run and the draft need from the incidents module. */
export interface IncidentAccess {
  list(access: Access, query: IncidentListQuery): Promise<{ items: { id: string }[] }>;
  resolve(access: Access, ref: string): Promise<IncidentRecord>;
}

const dryRunResultSchema = z
  .object({
    evaluated: z.number().int(),
    matched: z.number().int(),
    items: z.array(
      z.object({
        incident: z.object({ id: z.string(), number: z.number().int(), title: z.string() }),
        changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
        tasks: z.array(z.object({ title: z.string(), description: z.string() })),
        playbooks: z.array(z.string()),
        results: z.array(z.unknown()),
      }),
    ),
  })
  .meta({ id: 'AutomationRuleDryRun' });

/** HTTP routes for automation rules: CRUD, order, run log, dry run, draft from an incident. */
export function registerAutomationRuleRoutes(
  server: VigilServer,
  rules: AutomationRuleService,
  incidents: IncidentAccess,
  storage: Storage,
  now: () => number = Date.now,
): void {
  server.post(`${BASE}/test`, {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary:
        'Dry run: which existing incidents a rule (saved or draft) would match and what it would change — nothing is changed',
      params: workspaceParams,
      body: z
        .strictObject({
          ruleId: z.string().max(64).optional(),
          rule: ruleInputSchema.optional(),
          filter: incidentFilterSchema
            .partial()
            .optional()
            .describe('Which incidents to try it on: the queue filters (default: all)'),
          limit: z.number().int().min(1).max(1000, 'at most 1000 incidents').default(200),
        })
        .refine((b) => (b.ruleId === undefined) !== (b.rule === undefined), {
          message: 'give either ruleId or rule',
          path: ['ruleId'],
        }),
      response: { 200: dryRunResultSchema, ...errorResponses },
    },
    handler: async (request) => {
      const page = await incidents.list(request.access, {
        ...(request.body.filter ?? {}),
        sort: 'created',
        order: 'desc',
        limit: request.body.limit,
      } as IncidentListQuery);
      return dryRun(
        storage,
        request.access,
        { ruleId: request.body.ruleId, rule: request.body.rule, incidentIds: page.items.map((i) => i.id) },
        now(),
      );
    },
  });

  server.get('/api/v1/workspaces/:workspace/incidents/:incident/automation-rule-draft', {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary:
        'A rule pre-filled from an incident (its analytics rules and entities: close and tag, expiring in a week) to edit and create',
      params: incidentParams,
      response: { 200: ruleInputSchema, ...errorResponses },
    },
    handler: async (request) =>
      draftFromIncident(storage, request.access, await incidents.resolve(request.access, request.params.incident), now()),
  });

  server.get(BASE, {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary:
        'Automation rules in execution order; filter by trigger, by action type (e.g. addTask) or by an analytics rule they cover',
      params: workspaceParams,
      querystring: z.object({
        trigger: z.enum(TRIGGERS, { error: `must be one of ${TRIGGERS.join(', ')}` }).optional(),
        actionType: z.enum(ACTION_TYPES, { error: `must be one of ${ACTION_TYPES.join(', ')}` }).optional(),
        analyticsRule: z.string().max(500).optional(),
        q: z.string().max(200).optional(),
      }),
      response: { 200: z.object({ items: z.array(ruleSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await rules.list(request.access, request.query) }),
  });

  server.post(BASE, {
    config: { permission: 'rules.write' },
    schema: {
      tags,
      summary: 'Create an automation rule',
      params: workspaceParams,
      body: ruleInputSchema,
      response: { 201: ruleSchema, 422: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const rule = await rules.create(request.access, request.body);
      return reply.status(201).header('etag', rule.etag).send(rule);
    },
  });

  server.post(`${BASE}/reorder`, {
    config: { permission: 'rules.write' },
    schema: {
      tags,
      summary: 'Set the execution order: the listed rules run first, in that order',
      params: workspaceParams,
      body: z.strictObject({ ids: z.array(z.string().min(1).max(64)).min(1).max(512) }),
      response: { 200: z.object({ items: z.array(ruleSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await rules.reorder(request.access, request.body.ids) }),
  });

  server.get(`${BASE}/:rule`, {
    config: { permission: 'rules.read' },
    schema: { tags, summary: 'Get an automation rule', params: ruleParams, response: { 200: ruleSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const rule = await rules.get(request.access, request.params.rule);
      return reply.header('etag', rule.etag).send(rule);
    },
  });

  server.patch(`${BASE}/:rule`, {
    config: { permission: 'rules.write' },
    schema: {
      tags,
      summary: 'Change an automation rule (enable/disable, order, conditions, actions, expiry …)',
      params: ruleParams,
      headers: z.object({ 'if-match': z.string().max(100).optional() }),
      body: rulePatchSchema,
      response: { 200: ruleSchema, ...errorResponses },
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
    schema: { tags, summary: 'Delete an automation rule', params: ruleParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      await rules.remove(request.access, request.params.rule);
      return reply.status(204).send(null);
    },
  });

  server.get(`${BASE}/:rule/runs`, {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary: "A rule's run log, newest first",
      params: ruleParams,
      querystring: z.object(paginationQuery),
      response: { 200: pageOf(runSchema), ...errorResponses },
    },
    handler: (request) => rules.runs(request.access, request.params.rule, request.query),
  });
}

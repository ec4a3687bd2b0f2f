import { z } from 'zod';
import { errorResponses, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import type { Storage } from '../storage/database.js';
import { createRuleImportService } from './rule-import.js';
import { ruleSchema } from './rule-schemas.js';
import type { AutomationRuleService } from './rule-service.js';

const BASE = '/api/v1/workspaces/:workspace/automation-rules';
const tags = ['Automation rules'];
const problem = z.object({ path: z.string(), message: z.string() });

const importReportSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    warnings: z.array(problem).describe('About the document: resources that are not rules, parameters it does not declare'),
    rules: z.array(
      z.object({
        source: z.string().describe('Where the rule is in the document'),
        sourceId: z.string().nullable().describe("The Sentinel rule's name (its GUID), when the document has one"),
        name: z.string().nullable(),
        outcome: z.enum(['created', 'updated', 'skipped']),
        reason: z.string().nullable().describe('Why it was skipped'),
        rule: ruleSchema.nullable(),
        notRepresentable: z.array(problem).describe('What Vigil could not represent, by path in the document'),
        notes: z.array(problem).describe('What was assumed or will take effect later (e.g. playbooks not yet present)'),
        unresolved: z.array(problem).describe('ARM template expressions that could not be resolved'),
      }),
    ),
  })
  .meta({ id: 'AutomationRuleImportReport' });

/** HTTP routes to import Sentinel automation rules and export a workspace's rules (Sentinel's shape or Vigil's). */
export function registerRuleImportRoutes(server: VigilServer, rules: AutomationRuleService, storage: Storage): void {
  const service = createRuleImportService({ storage, rules });

  server.post(`${BASE}/import`, {
    config: { permission: 'rules.write' },
    schema: {
      tags,
      summary:
        "Import automation rules: Sentinel's JSON (a REST resource, a list, a REST example file, an ARM template) or Vigil's export",
      params: workspaceParams,
      body: z.strictObject({
        document: z.unknown().describe('The document, as parsed JSON'),
        parameters: z
          .record(z.string(), z.unknown())
          .optional()
          .describe("Values for an ARM template's parameters ({ name: value } or a parameters file)"),
        mode: z
          .enum(['create', 'upsert'], { error: 'must be create or upsert' })
          .default('create')
          .describe('create: skip rules whose name is taken; upsert: update them'),
      }),
      response: { 200: importReportSchema, ...errorResponses },
    },
    handler: (request) => service.import(request.access, request.body),
  });

  server.get(`${BASE}/export`, {
    config: { permission: 'rules.read' },
    schema: {
      tags,
      summary: "Export the workspace's rules: Sentinel's REST list shape ({ value }) or Vigil definitions",
      params: workspaceParams,
      querystring: z.object({
        format: z.enum(['sentinel', 'vigil'], { error: 'must be sentinel or vigil' }).default('sentinel'),
      }),
      response: {
        200: z.object({
          value: z.array(z.unknown()),
          notRepresentable: z
            .array(problem.extend({ rule: z.string() }))
            .optional()
            .describe('What Sentinel cannot hold (Vigil extras such as removeTags), per rule'),
        }),
        ...errorResponses,
      },
    },
    handler: (request) => service.export(request.access, request.query.format),
  });
}

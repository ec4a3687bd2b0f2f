import { z } from 'zod';
import { errorResponses, paginationQuery, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import type { IncidentService } from '../incidents/index.js';
import { incidentParams } from '../incidents/incident-schemas.js';
import { playbookParams } from './playbook-schemas.js';
import type { PlaybookService } from './playbook-service.js';
import type { RunQuery, RunService } from './run-service.js';
import { runDetailSchema, runSchema, runStatusSchema } from './run-views.js';

const tags = ['Playbook runs'];
const runParams = workspaceParams.extend({ run: z.string().min(1).max(64) });
const time = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const runListQuery = z.object({
  status: z
    .union([runStatusSchema, z.array(runStatusSchema)])
    .optional()
    .transform((v) => (v === undefined ? undefined : [v].flat())),
  since: time.optional().describe('Runs queued from'),
  until: time.optional().describe('… until'),
  ...paginationQuery,
});
const page = z.object({ items: z.array(runSchema), nextCursor: z.string().nullable() });

function queryOf(q: z.infer<typeof runListQuery>, extra: Partial<RunQuery> = {}): RunQuery {
  return {
    status: q.status,
    since: q.since ? Date.parse(q.since) : undefined,
    until: q.until ? Date.parse(q.until) : undefined,
    limit: q.limit,
    cursor: q.cursor,
    ...extra,
  };
}

/** HTTP routes for playbook runs: history (workspace, playbook, incident), the step tree, cancel and re-run. */
export function registerRunRoutes(
  server: VigilServer,
  runs: RunService,
  playbooks: PlaybookService,
  incidents: IncidentService,
): void {
  server.get('/api/v1/workspaces/:workspace/runs', {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: "The workspace's playbook runs, newest first",
      params: workspaceParams,
      querystring: runListQuery.extend({ playbook: z.string().max(200).optional(), incident: z.string().max(64).optional() }),
      response: { 200: page, ...errorResponses },
    },
    handler: async (request) => {
      const { playbook, incident, ...rest } = request.query;
      const playbookId = playbook ? (await playbooks.resolve(request.access, playbook)).id : undefined;
      const incidentId = incident ? (await incidents.resolve(request.access, incident)).id : undefined;
      return runs.list(request.access, queryOf(rest, { playbookId, incidentId }));
    },
  });

  server.get('/api/v1/workspaces/:workspace/playbooks/:playbook/runs', {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: "A playbook's runs, newest first",
      params: playbookParams,
      querystring: runListQuery,
      response: { 200: page, ...errorResponses },
    },
    handler: async (request) => {
      const p = await playbooks.resolve(request.access, request.params.playbook);
      return runs.list(request.access, queryOf(request.query, { playbookId: p.id }));
    },
  });

  server.get('/api/v1/workspaces/:workspace/incidents/:incident/playbook-runs', {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'The playbook runs on an incident, newest first',
      params: incidentParams,
      querystring: runListQuery,
      response: { 200: page, ...errorResponses },
    },
    handler: async (request) => {
      const incident = await incidents.resolve(request.access, request.params.incident);
      return runs.list(request.access, queryOf(request.query, { incidentId: incident.id }));
    },
  });

  server.get('/api/v1/workspaces/:workspace/runs/:run', {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'A run with its step tree',
      params: runParams,
      response: { 200: runDetailSchema, ...errorResponses },
    },
    handler: (request) => runs.get(request.access, request.params.run),
  });

  server.post('/api/v1/workspaces/:workspace/runs/:run/cancel', {
    config: { permission: 'playbooks.run' },
    schema: {
      tags,
      summary: 'Cancel a run (a running one stops before its next step)',
      params: runParams,
      response: { 200: runSchema, ...errorResponses },
    },
    handler: (request) => runs.cancel(request.access, request.params.run),
  });

  server.post('/api/v1/workspaces/:workspace/runs/:run/rerun', {
    config: { permission: 'playbooks.run' },
    schema: {
      tags,
      summary: "Run a finished run again (the playbook's current version, same trigger and inputs)",
      params: runParams,
      response: { 202: runSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(202).send(await runs.rerun(request.access, request.params.run)),
  });
}

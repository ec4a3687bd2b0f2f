import { z } from 'zod';
import { alertStatusSchema, severitySchema } from '../common/enums.js';
import { LIMITS } from '../common/limits.js';
import { errorResponses, pageOf, paginationQuery, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { booleanParam, listParam, zodValidatorCompiler } from '../http/validation.js';
import { incidentParams } from '../incidents/incident-schemas.js';
import { ingestBodyValidator, type IngestBody } from './alert-input.js';
import { alertMoveSchema, alertSchema, ingestBodySchema, ingestResultSchema } from './alert-schemas.js';
import type { AlertService } from './alert-service.js';

const BASE = '/api/v1/workspaces/:workspace';
const tags = ['Alerts'];
const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

/** HTTP routes for alert ingestion and reading. */
export function registerAlertRoutes(server: VigilServer, alerts: AlertService): void {
  server.post(`${BASE}/alerts`, {
    config: { permission: 'alerts.ingest' },
    bodyLimit: LIMITS.requestBodyBytes,
    validatorCompiler: (route) =>
      route.httpPart === 'body' ? ingestBodyValidator(route as never) : zodValidatorCompiler(route as never),
    schema: {
      tags,
      summary: 'Ingest one alert, or a batch of up to 1,000 as { "alerts": [...] }',
      description:
        "Alerts are grouped into incidents by their analytics rule's grouping settings. The same productName + sourceAlertId again is reported as a duplicate and not stored twice. Atomic: on any invalid alert nothing is stored.",
      params: workspaceParams,
      body: ingestBodySchema,
      response: { 200: ingestResultSchema, 201: ingestResultSchema, 413: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const result = await alerts.ingest(request.access, request.body as unknown as IngestBody);
      return reply.status(result.counts.new + result.counts.grouped > 0 ? 201 : 200).send(result);
    },
  });

  server.get(`${BASE}/alerts`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'List alerts, newest first',
      params: workspaceParams,
      querystring: z.object({
        product: listParam(z.string().min(1).max(200)),
        severity: listParam(severitySchema),
        status: listParam(alertStatusSchema),
        analyticsRule: z.string().max(64).optional(),
        receivedFrom: isoDateTime.optional(),
        receivedTo: isoDateTime.optional(),
        withoutIncident: booleanParam.optional(),
        ...paginationQuery,
      }),
      response: { 200: pageOf(alertSchema), ...errorResponses },
    },
    handler: (request) => alerts.list(request.access, request.query),
  });

  server.get(`${BASE}/alerts/:alert`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'Get an alert, with its original payload',
      params: workspaceParams.extend({ alert: z.string().min(1).max(64) }),
      response: { 200: alertSchema, ...errorResponses },
    },
    handler: (request) => alerts.get(request.access, request.params.alert),
  });

  server.get(`${BASE}/incidents/:incident/alerts`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags: ['Incidents'],
      summary: "List an incident's alerts",
      params: incidentParams,
      querystring: z.object(paginationQuery),
      response: { 200: pageOf(alertSchema), ...errorResponses },
    },
    handler: (request) => alerts.listForIncident(request.access, request.params.incident, request.query),
  });

  server.post(`${BASE}/incidents/:incident/alerts`, {
    config: { permission: 'incidents.write' },
    schema: {
      tags: ['Incidents'],
      summary: 'Add an alert to the incident, moving it out of the incident it was in',
      description:
        'The incident gains the alert as alert grouping would add it (a closed incident stays closed); the incident it leaves is recomputed from its remaining alerts and keeps its entities. An alert already in the incident is answered unchanged.',
      params: incidentParams,
      body: alertMoveSchema,
      response: { 200: alertSchema, ...errorResponses },
    },
    handler: async (request) => (await alerts.addToIncident(request.access, request.body.alertId, request.params.incident)).alert,
  });
}

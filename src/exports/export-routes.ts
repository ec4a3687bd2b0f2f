import { z } from 'zod';
import { errorResponses } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { incidentParams } from '../incidents/incident-schemas.js';
import { exportParams, exportRequestSchema, incidentExportSchema } from './export-schemas.js';
import type { ExportService } from './export-service.js';

const BASE = '/api/v1/workspaces/:workspace/incidents/:incident/exports';
const tags = ['Incidents'];

/** HTTP routes for incident PDF exports: request, poll, download. */
export function registerExportRoutes(server: VigilServer, exports: ExportService): void {
  server.post(BASE, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'Export the incident as PDF: 202 with a pending export to poll, or 200 with the same export requested minutes ago',
      params: incidentParams,
      body: exportRequestSchema.nullish(),
      response: { 200: incidentExportSchema, 202: incidentExportSchema, 429: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const { export: created, reused } = await exports.request(request.access, request.params.incident, request.body ?? {});
      return reply
        .status(reused ? 200 : 202)
        .header('location', `${request.url.split('?')[0]!.replace(/\/$/, '')}/${created.id}`)
        .send(created);
    },
  });

  server.get(BASE, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: "The incident's exports of the last 24 hours, newest first",
      params: incidentParams,
      response: { 200: z.object({ items: z.array(incidentExportSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await exports.list(request.access, request.params.incident) }),
  });

  server.get(`${BASE}/:export`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'An export and its status: pending, ready (download from fileUrl) or failed (with the reason)',
      params: exportParams,
      response: { 200: incidentExportSchema, ...errorResponses },
    },
    handler: async (request) => exports.get(request.access, request.params.incident, request.params.export),
  });

  server.get(`${BASE}/:export/file`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'Download the PDF (incident-<number>.pdf); 409 while the export is pending or when it failed',
      params: exportParams,
      response: { 409: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const file = await exports.file(request.access, request.params.incident, request.params.export);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(file.content as never);
    },
  });
}

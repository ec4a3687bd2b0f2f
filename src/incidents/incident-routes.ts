import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listParam } from '../http/validation.js';
import { errorResponses, normalizeEtag, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import {
  bulkResultSchema,
  bulkUpdateSchema,
  incidentCountsSchema,
  incidentCreateSchema,
  incidentFilterSchema,
  incidentListQuerySchema,
  incidentParams,
  incidentPatchSchema,
  incidentSchema,
} from './incident-schemas.js';
import type { IncidentService } from './incident-service.js';

const BASE = '/api/v1/workspaces/:workspace';
const tags = ['Incidents'];

const ifMatchHeaders = z.object({
  'if-match': z.string().max(100).optional().describe('The etag you last read; a stale one gets 412'),
});

/** Finds the workspaces the caller may read incidents in (from the auth module). */
export type ReadableWorkspaces = (request: FastifyRequest) => Promise<{ id: string; name: string }[]>;

/** HTTP routes for the incident queue, incidents, bulk changes and tags. */
export function registerIncidentRoutes(
  server: VigilServer,
  incidents: IncidentService,
  readableWorkspaces: ReadableWorkspaces,
): void {
  const acrossQuery = incidentListQuerySchema.extend({
    workspace: listParam(z.string().min(1).max(64)).describe('Only these workspaces (default: every workspace you may read)'),
  });
  const chosen = async (request: FastifyRequest, wanted: string[] | undefined) => {
    const readable = await readableWorkspaces(request);
    return wanted?.length ? readable.filter((w) => wanted.includes(w.id)) : readable;
  };

  server.get('/api/v1/incidents', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      summary: 'The incident queue across every workspace you may read, each incident labelled with its workspace',
      querystring: acrossQuery,
      response: {
        200: z.object({
          items: z.array(incidentSchema.extend({ workspace: z.object({ id: z.string(), name: z.string() }) })),
          nextCursor: z.string().nullable(),
        }),
        ...errorResponses,
      },
    },
    handler: async (request) =>
      incidents.listAcross(request.access, await chosen(request, request.query.workspace), request.query),
  });

  server.get('/api/v1/incidents/counts', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      summary: 'Counts by status and severity across the workspaces you may read',
      querystring: incidentFilterSchema.extend({ workspace: listParam(z.string().min(1).max(64)) }),
      response: { 200: incidentCountsSchema, ...errorResponses },
    },
    handler: async (request) =>
      incidents.countsAcross(
        request.access,
        (await chosen(request, request.query.workspace)).map((w) => w.id),
        request.query,
      ),
  });

  server.get(`${BASE}/incidents`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'List incidents (the queue), filtered and sorted, with cursor pagination',
      params: workspaceParams,
      querystring: incidentListQuerySchema,
      response: { 200: z.object({ items: z.array(incidentSchema), nextCursor: z.string().nullable() }), ...errorResponses },
    },
    handler: (request) => incidents.list(request.access, request.query),
  });

  server.get(`${BASE}/incidents/counts`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'Count incidents by status and severity for the same filters as the list',
      params: workspaceParams,
      querystring: incidentFilterSchema,
      response: { 200: incidentCountsSchema, ...errorResponses },
    },
    handler: (request) => incidents.counts(request.access, request.query),
  });

  server.post(`${BASE}/incidents`, {
    config: { permission: 'incidents.write' },
    schema: {
      tags,
      summary: 'Create an incident by hand',
      params: workspaceParams,
      body: incidentCreateSchema,
      response: { 201: incidentSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const incident = await incidents.create(request.access, request.body);
      return reply.status(201).header('etag', incident.etag).header('location', incident.url).send(incident);
    },
  });

  server.post(`${BASE}/incidents/bulk`, {
    config: { permission: 'incidents.write' },
    schema: {
      tags,
      summary: 'Apply the same change to up to 1,000 incidents',
      params: workspaceParams,
      body: bulkUpdateSchema,
      response: { 200: bulkResultSchema, ...errorResponses },
    },
    handler: (request) => incidents.bulkUpdate(request.access, request.body),
  });

  server.get(`${BASE}/incidents/:incident`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'Get an incident by id or number',
      params: incidentParams,
      response: { 200: incidentSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const incident = await incidents.get(request.access, request.params.incident);
      return reply.header('etag', incident.etag).send(incident);
    },
  });

  server.patch(`${BASE}/incidents/:incident`, {
    config: { permission: 'incidents.write' },
    schema: {
      tags,
      summary: 'Change an incident (send If-Match with its etag to detect concurrent edits)',
      params: incidentParams,
      headers: ifMatchHeaders,
      body: incidentPatchSchema,
      response: { 200: incidentSchema, 412: errorResponses[400], 422: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const incident = await incidents.update(
        request.access,
        request.params.incident,
        request.body,
        normalizeEtag(request.headers['if-match']),
      );
      return reply.header('etag', incident.etag).send(incident);
    },
  });

  server.get(`${BASE}/tags`, {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'Tags in use on incidents, most used first (for type-ahead)',
      params: workspaceParams,
      querystring: z.object({
        prefix: z.string().max(256).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: {
        200: z.object({ items: z.array(z.object({ tag: z.string(), count: z.number().int(), system: z.boolean() })) }),
        ...errorResponses,
      },
    },
    handler: async (request) => ({ items: await incidents.tags(request.access, request.query) }),
  });
}

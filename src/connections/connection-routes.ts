import { z } from 'zod';
import { errorResponses, normalizeEtag, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { connectionCreateSchema, connectionPatchSchema, connectionSchema } from './connection-schemas.js';
import type { ConnectionService } from './connection-service.js';

const BASE = '/api/v1/workspaces/:workspace/connections';
const tags = ['Connections'];
const connectionParams = workspaceParams.extend({ connection: z.string().min(1).max(200) });
const etagHeaders = z.object({ 'if-match': z.string().max(100).optional() });

/** HTTP routes for connections (secrets are write-only: never in a response). */
export function registerConnectionRoutes(server: VigilServer, connections: ConnectionService): void {
  server.get(BASE, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: "The workspace's connections",
      params: workspaceParams,
      querystring: z.object({ connector: z.string().max(100).optional() }),
      response: { 200: z.object({ items: z.array(connectionSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await connections.list(request.access, request.query.connector) }),
  });

  server.post(BASE, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Create a connection (secrets are encrypted at rest and never returned)',
      params: workspaceParams,
      body: connectionCreateSchema,
      response: { 201: connectionSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const connection = await connections.create(request.access, request.body);
      return reply.status(201).header('etag', connection.etag).send(connection);
    },
  });

  server.get(`${BASE}/:connection`, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'Get a connection by id or name',
      params: connectionParams,
      response: { 200: connectionSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const connection = await connections.get(request.access, request.params.connection);
      return reply.header('etag', connection.etag).send(connection);
    },
  });

  server.patch(`${BASE}/:connection`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Change a connection: secrets not named are kept, a secret set to null is removed',
      params: connectionParams,
      headers: etagHeaders,
      body: connectionPatchSchema,
      response: { 200: connectionSchema, 412: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const connection = await connections.update(
        request.access,
        request.params.connection,
        request.body,
        normalizeEtag(request.headers['if-match']),
      );
      return reply.header('etag', connection.etag).send(connection);
    },
  });

  server.delete(`${BASE}/:connection`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Delete a connection no enabled playbook uses',
      params: connectionParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await connections.remove(request.access, request.params.connection);
      return reply.status(204).send(null);
    },
  });

  server.post(`${BASE}/:connection/test`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Test a connection (an authenticated call to the service); the result becomes its status',
      params: connectionParams,
      response: { 200: connectionSchema, ...errorResponses },
    },
    handler: (request) => connections.test(request.access, request.params.connection),
  });
}

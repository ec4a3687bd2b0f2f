import { z } from 'zod';
import { errorResponses, normalizeEtag, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import {
  manualRunSchema,
  playbookDetailSchema,
  playbookListQuery,
  playbookParams,
  playbookPatchSchema,
  playbookSchema,
  playbookSourceSchema,
  validationResultSchema,
  versionSchema,
} from './playbook-schemas.js';
import type { PlaybookService } from './playbook-service.js';
import type { RunService } from './run-service.js';
import { runSchema } from './run-views.js';

const BASE = '/api/v1/workspaces/:workspace/playbooks';
const tags = ['Playbooks'];
const etagHeaders = z.object({ 'if-match': z.string().max(100).optional() });

/** HTTP routes for playbooks: definitions and their versions, enabling, webhooks, manual runs. */
export function registerPlaybookRoutes(server: VigilServer, playbooks: PlaybookService, runs: RunService): void {
  server.get(BASE, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'Playbooks by name, with their trigger, status, run counts and last run',
      params: workspaceParams,
      querystring: playbookListQuery,
      response: { 200: z.object({ items: z.array(playbookSchema), nextCursor: z.string().nullable() }), ...errorResponses },
    },
    handler: (request) => playbooks.list(request.access, request.query),
  });

  server.post(BASE, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Create a playbook from YAML or JSON (refused with every problem, by path and line, if it does not validate)',
      params: workspaceParams,
      body: playbookSourceSchema,
      response: { 201: playbookDetailSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const playbook = await playbooks.create(request.access, request.body);
      return reply.status(201).header('etag', playbook.etag).send(playbook);
    },
  });

  server.post(`${BASE}/validate`, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'Validate a definition without saving it',
      params: workspaceParams,
      body: playbookSourceSchema,
      response: { 200: validationResultSchema, ...errorResponses },
    },
    handler: (request) => playbooks.validate(request.access, request.body),
  });

  server.get(`${BASE}/:playbook`, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'A playbook with its current source',
      params: playbookParams,
      response: { 200: playbookDetailSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const playbook = await playbooks.get(request.access, request.params.playbook);
      return reply.header('etag', playbook.etag).send(playbook);
    },
  });

  server.put(`${BASE}/:playbook`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Save a new version (runs already started keep the version they started with)',
      params: playbookParams,
      headers: etagHeaders,
      body: playbookSourceSchema,
      response: { 200: playbookDetailSchema, 412: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const playbook = await playbooks.update(
        request.access,
        request.params.playbook,
        request.body,
        normalizeEtag(request.headers['if-match']),
      );
      return reply.header('etag', playbook.etag).send(playbook);
    },
  });

  server.patch(`${BASE}/:playbook`, {
    config: { permission: 'playbooks.toggle' },
    schema: {
      tags,
      summary: 'Enable or disable a playbook',
      params: playbookParams,
      headers: etagHeaders,
      body: playbookPatchSchema,
      response: { 200: playbookSchema, 412: errorResponses[400], 422: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => {
      const playbook = await playbooks.setEnabled(
        request.access,
        request.params.playbook,
        request.body.enabled,
        normalizeEtag(request.headers['if-match']),
      );
      return reply.header('etag', playbook.etag).send(playbook);
    },
  });

  server.delete(`${BASE}/:playbook`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Delete a playbook with no run in progress',
      params: playbookParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await playbooks.remove(request.access, request.params.playbook);
      return reply.status(204).send(null);
    },
  });

  server.get(`${BASE}/:playbook/versions`, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: "A playbook's versions, newest first",
      params: playbookParams,
      response: { 200: z.object({ items: z.array(versionSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await playbooks.versions(request.access, request.params.playbook) }),
  });

  server.get(`${BASE}/:playbook/versions/:version`, {
    config: { permission: 'playbooks.read' },
    schema: {
      tags,
      summary: 'One version with its source',
      params: playbookParams.extend({ version: z.coerce.number().int().min(1) }),
      response: { 200: versionSchema, ...errorResponses },
    },
    handler: (request) => playbooks.version(request.access, request.params.playbook, request.params.version),
  });

  server.post(`${BASE}/:playbook/webhook`, {
    config: { permission: 'playbooks.write' },
    schema: {
      tags,
      summary: 'Make a new secret webhook URL (shown once; the old one stops working)',
      params: playbookParams,
      response: { 200: z.object({ url: z.string() }), ...errorResponses },
    },
    handler: (request) => playbooks.rotateWebhook(request.access, request.params.playbook),
  });

  server.post(`${BASE}/:playbook/runs`, {
    config: { permission: 'playbooks.run' },
    schema: {
      tags,
      summary:
        'Run a playbook now: on an incident, an alert or an entity (or on nothing, for manual, webhook and schedule playbooks)',
      params: playbookParams,
      body: manualRunSchema,
      response: { 202: runSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.status(202).send(await runs.start(request.access, request.params.playbook, request.body)),
  });
}

import { z } from 'zod';
import { roleSchema, ROLES } from '../auth/permissions.js';
import { errorResponses, normalizeEtag, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { booleanParam } from '../http/validation.js';
import type { MemberService } from './member-service.js';
import { workspacePatchSchema, workspaceSchema } from './workspace-schemas.js';
import type { WorkspaceService } from './workspace-service.js';

const tags = ['Workspaces'];

const principalFields = {
  type: z.enum(['user', 'group'], { error: 'must be user or group' }).optional(),
  id: z.string().min(1).max(200).optional(),
  email: z.string().min(3).max(320).optional(),
  name: z.string().min(1).max(200).optional(),
};
const principalInput = z
  .strictObject(principalFields)
  .refine((p) => p.id || p.email || p.name, { message: 'needs an id, an email (user) or a name (group)' });

const memberSchema = z
  .object({
    type: z.enum(['user', 'group']),
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    roles: z.array(z.enum(ROLES)),
  })
  .meta({ id: 'WorkspaceMember' });

/** HTTP routes for workspaces: the caller's list, administration, settings and members. */
export function registerWorkspaceRoutes(server: VigilServer, workspaces: WorkspaceService, members: MemberService): void {
  server.get('/api/v1/workspaces', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      summary: 'The workspaces you belong to, with your roles (administrators: all=true lists every one)',
      querystring: z.object({ all: booleanParam.optional(), archived: booleanParam.optional() }),
      response: { 200: z.object({ items: z.array(workspaceSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await workspaces.list(request.access, request.query) }),
  });

  server.post('/api/v1/workspaces', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Create a workspace (administrators); its first Owner is `owner`, else you',
      body: z.strictObject({
        id: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2–63 lower-case letters, digits or dashes, e.g. "contoso-soc"'),
        name: z.string().trim().min(1).max(200),
        owner: principalInput.optional(),
      }),
      response: { 201: workspaceSchema, 409: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await workspaces.create(request.access, request.body)),
  });

  server.get('/api/v1/workspaces/:workspace', {
    config: { permission: 'workspace.read', allowAdmin: true },
    schema: {
      tags,
      summary: 'Get a workspace and its settings',
      params: workspaceParams,
      response: { 200: workspaceSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const workspace = await workspaces.get(request.access);
      return reply.header('etag', workspace.etag).send(workspace);
    },
  });

  server.patch('/api/v1/workspaces/:workspace', {
    config: { permission: 'workspace.manage', allowAdmin: true },
    schema: {
      tags,
      summary: 'Rename a workspace or change its settings (default alert grouping)',
      params: workspaceParams,
      headers: z.object({ 'if-match': z.string().max(100).optional() }),
      body: workspacePatchSchema,
      response: { 200: workspaceSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const workspace = await workspaces.update(request.access, request.body, normalizeEtag(request.headers['if-match']));
      return reply.header('etag', workspace.etag).send(workspace);
    },
  });

  server.post('/api/v1/workspaces/:workspace/archive', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Archive a workspace: read-only, out of the lists (administrators)',
      params: workspaceParams,
      response: { 200: workspaceSchema, ...errorResponses },
    },
    handler: (request) => workspaces.archive(request.params.workspace),
  });

  server.post('/api/v1/workspaces/:workspace/unarchive', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Bring an archived workspace back (administrators)',
      params: workspaceParams,
      response: { 200: workspaceSchema, ...errorResponses },
    },
    handler: (request) => workspaces.unarchive(request.params.workspace),
  });

  server.get('/api/v1/workspaces/:workspace/members', {
    config: { permission: 'workspace.read', allowAdmin: true },
    schema: {
      tags,
      summary: 'Members (users and groups) and their roles; with q, those matching (owner type-ahead)',
      params: workspaceParams,
      querystring: z.object({ q: z.string().max(200).optional() }),
      response: { 200: z.object({ items: z.array(memberSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await members.list(request.access, request.query) }),
  });

  server.put('/api/v1/workspaces/:workspace/members', {
    config: { permission: 'workspace.manage', allowAdmin: true },
    schema: {
      tags,
      summary: "Set a user's or group's roles in the workspace (an empty list removes them)",
      params: workspaceParams,
      body: z
        .strictObject({ ...principalFields, roles: z.array(roleSchema).max(ROLES.length) })
        .refine((p) => p.id || p.email || p.name, {
          message: 'needs an id, an email (user) or a name (group)',
        }),
      response: { 200: z.object({ items: z.array(memberSchema) }), 422: errorResponses[400], ...errorResponses },
    },
    handler: async (request) => {
      const { roles, ...principal } = request.body;
      return { items: await members.setRoles(request.access, principal, roles) };
    },
  });

  server.delete('/api/v1/workspaces/:workspace/members/:type/:id', {
    config: { permission: 'workspace.manage', allowAdmin: true },
    schema: {
      tags,
      summary: 'Remove a user or group from the workspace',
      params: workspaceParams.extend({ type: z.enum(['user', 'group']), id: z.string().min(1).max(64) }),
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await members.remove(request.access, request.params.type, request.params.id);
      return reply.status(204).send(null);
    },
  });
}

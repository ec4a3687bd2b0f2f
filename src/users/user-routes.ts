import { z } from 'zod';
import { errorResponses, normalizeEtag, pageOf, paginationQuery } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import type { GroupService } from './group-service.js';
import {
  groupCreateSchema,
  groupPatchSchema,
  groupSchema,
  passwordSchema,
  userCreateSchema,
  userPatchSchema,
  userSchema,
} from './user-schemas.js';
import type { UserService } from './user-service.js';

const userParams = z.object({ user: z.string().min(1).max(320).describe('User id or email') });
const groupParams = z.object({ group: z.string().min(1).max(200).describe('Group id or name') });
const etagHeaders = z.object({ 'if-match': z.string().max(100).optional() });
const oneTime = z.string().nullable().describe('The generated one-time password, shown only now (null when you set one)');

/** HTTP routes for server administrators: users and groups. */
export function registerUserRoutes(server: VigilServer, users: UserService, groups: GroupService): void {
  const tags = ['Users and groups'];

  server.get('/api/v1/users', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'List users',
      querystring: z.object({ q: z.string().max(200).optional(), ...paginationQuery }),
      response: { 200: pageOf(userSchema), ...errorResponses },
    },
    handler: (request) => users.list(request.query),
  });

  server.post('/api/v1/users', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Create a user (without a password, a one-time password is generated)',
      body: userCreateSchema,
      response: { 201: z.object({ user: userSchema, oneTimePassword: oneTime }), 409: errorResponses[400], ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await users.create(request.body)),
  });

  server.get('/api/v1/users/:user', {
    config: { permission: 'admin' },
    schema: { tags, summary: 'Get a user', params: userParams, response: { 200: userSchema, ...errorResponses } },
    handler: (request) => users.get(request.params.user),
  });

  server.patch('/api/v1/users/:user', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Rename, disable or promote a user',
      params: userParams,
      headers: etagHeaders,
      body: userPatchSchema,
      response: { 200: userSchema, ...errorResponses },
    },
    handler: (request) =>
      users.update(request.access, request.params.user, request.body, normalizeEtag(request.headers['if-match'])),
  });

  server.post('/api/v1/users/:user/reset-password', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: "Reset a user's password (given, or a generated one-time password); ends their sessions",
      params: userParams,
      body: z.strictObject({ password: passwordSchema.optional() }).nullish(),
      response: { 200: z.object({ user: userSchema, oneTimePassword: oneTime }), ...errorResponses },
    },
    handler: (request) => users.resetPassword(request.params.user, request.body?.password),
  });

  server.get('/api/v1/groups', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'List groups with their members',
      response: { 200: z.object({ items: z.array(groupSchema) }), ...errorResponses },
    },
    handler: async () => ({ items: await groups.list() }),
  });

  server.post('/api/v1/groups', {
    config: { permission: 'admin' },
    schema: { tags, summary: 'Create a group', body: groupCreateSchema, response: { 201: groupSchema, ...errorResponses } },
    handler: async (request, reply) => reply.status(201).send(await groups.create(request.body)),
  });

  server.get('/api/v1/groups/:group', {
    config: { permission: 'admin' },
    schema: { tags, summary: 'Get a group', params: groupParams, response: { 200: groupSchema, ...errorResponses } },
    handler: (request) => groups.get(request.params.group),
  });

  server.patch('/api/v1/groups/:group', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Rename a group',
      params: groupParams,
      headers: etagHeaders,
      body: groupPatchSchema,
      response: { 200: groupSchema, ...errorResponses },
    },
    handler: (request) => groups.update(request.params.group, request.body, normalizeEtag(request.headers['if-match'])),
  });

  server.delete('/api/v1/groups/:group', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Delete a group, its memberships and its roles',
      params: groupParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await groups.remove(request.params.group);
      return reply.status(204).send(null);
    },
  });

  server.put('/api/v1/groups/:group/members/:user', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Add a user to a group',
      params: groupParams.extend(userParams.shape),
      response: { 200: groupSchema, ...errorResponses },
    },
    handler: (request) => groups.addMember(request.params.group, request.params.user),
  });

  server.delete('/api/v1/groups/:group/members/:user', {
    config: { permission: 'admin' },
    schema: {
      tags,
      summary: 'Remove a user from a group',
      params: groupParams.extend(userParams.shape),
      response: { 200: groupSchema, ...errorResponses },
    },
    handler: (request) => groups.removeMember(request.params.group, request.params.user),
  });
}

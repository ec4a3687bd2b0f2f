import { z } from 'zod';
import { isoTime } from '../http/cursor.js';
import { errorResponses } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { booleanParam } from '../http/validation.js';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, type AuthService, type Principal, type TokenInfo } from './auth-service.js';
import { loginSchema, meSchema, tokenCreateSchema, tokenInfoSchema, userSummarySchema } from './auth-schemas.js';
import type { User } from '../users/user-repository.js';
import { passwordSchema } from '../users/user-schemas.js';

const tags = ['Auth'];

const summary = (user: User) => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  isAdmin: user.isAdmin,
  mustChangePassword: user.mustChangePassword,
});

const tokenView = (info: TokenInfo) => ({
  ...info,
  createdAt: isoTime(info.createdAt),
  expiresAt: isoTime(info.expiresAt),
  revokedAt: isoTime(info.revokedAt),
  lastUsedAt: isoTime(info.lastUsedAt),
});

/** HTTP routes for signing in and out, the caller's identity, and API tokens. */
export function registerAuthRoutes(server: VigilServer, auth: AuthService, options: { secureCookies: boolean }): void {
  const cookie = (value: string, maxAgeSeconds: number) =>
    [
      `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${maxAgeSeconds}`,
      ...(options.secureCookies ? ['Secure'] : []),
    ].join('; ');

  server.post('/api/v1/auth/login', {
    config: { permission: 'public' },
    schema: {
      tags,
      summary: 'Sign in with email and password; starts a session (httpOnly cookie)',
      body: loginSchema,
      response: {
        200: z.object({ user: userSummarySchema, csrfToken: z.string(), expiresAt: z.string() }),
        429: errorResponses[400],
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const session = await auth.login(request.body.email, request.body.password, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      return reply
        .header('set-cookie', cookie(session.sessionId, Math.floor(SESSION_ABSOLUTE_MS / 1000)))
        .send({ user: summary(session.user), csrfToken: session.csrfToken, expiresAt: isoTime(session.expiresAt) });
    },
  });

  server.post('/api/v1/auth/password', {
    config: { permission: 'authenticated', beforePasswordChange: true },
    schema: {
      tags,
      summary: 'Change your password (required after signing in with a one-time password)',
      body: z.strictObject({ currentPassword: z.string().min(1).max(1000), newPassword: passwordSchema }),
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await auth.changePassword(request.principal!, request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  });

  server.post('/api/v1/auth/logout', {
    config: { permission: 'authenticated', beforePasswordChange: true },
    schema: { tags, summary: 'End the current session', response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      await auth.logout(request.principal!);
      return reply.status(204).header('set-cookie', cookie('', 0)).send(null);
    },
  });

  server.get('/api/v1/auth/me', {
    config: { permission: 'authenticated', beforePasswordChange: true },
    schema: { tags, summary: 'Who is calling, and their workspaces and roles', response: { 200: meSchema, ...errorResponses } },
    handler: async (request) => {
      const me = await auth.me(request.principal as Principal);
      return { ...me, user: summary(me.user) };
    },
  });

  server.post('/api/v1/auth/tokens', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      summary: 'Create an API token (shown once) for a workspace and a role',
      body: tokenCreateSchema,
      response: {
        201: tokenInfoSchema.extend({ token: z.string().describe('The secret; it is shown only now') }),
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const { token, info } = await auth.createToken(request.principal!, {
        name: request.body.name,
        workspaceId: request.body.workspace,
        role: request.body.role,
        expiresAt: request.body.expiresAt ? Date.parse(request.body.expiresAt) : undefined,
        userId: request.body.userId,
      });
      return reply.status(201).send({ ...tokenView(info), token });
    },
  });

  server.get('/api/v1/auth/tokens', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      summary: "List your API tokens (or, with all=true, a workspace's or the server's for Owners and administrators)",
      querystring: z.object({ workspace: z.string().max(64).optional(), all: booleanParam.optional() }),
      response: { 200: z.object({ items: z.array(tokenInfoSchema) }), ...errorResponses },
    },
    handler: async (request) => ({
      items: (await auth.listTokens(request.principal!, { workspaceId: request.query.workspace, all: request.query.all })).map(
        tokenView,
      ),
    }),
  });

  server.delete('/api/v1/auth/tokens/:token', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      summary: 'Revoke an API token',
      params: z.object({ token: z.string().min(1).max(64) }),
      response: { 200: tokenInfoSchema, ...errorResponses },
    },
    handler: async (request) => tokenView(await auth.revokeToken(request.principal!, request.params.token)),
  });
}

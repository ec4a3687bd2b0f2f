import type { FastifyRequest } from 'fastify';
import { SYSTEM_ACTOR } from '../common/actor.js';
import { ForbiddenError } from '../errors/errors.js';
import type { VigilServer } from '../http/types.js';
import { SESSION_COOKIE, type AuthService, type Principal } from './auth-service.js';
import { PERMISSIONS, type Access, type Permission } from './permissions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const ANONYMOUS: Access = { via: 'none', actor: SYSTEM_ACTOR, roles: [], permissions: new Set() };

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, on routes that need one. */
    principal?: Principal;
  }
}

/**
 * The one place that checks who may call what. Every route declares `config.permission`; this
 * hook authenticates the caller, enforces CSRF on cookie-authenticated writes and the change of a
 * one-time password, resolves the caller's roles in the route's workspace (an invisible workspace
 * is a 404; an archived one is read-only) and checks the permission (403). API routes without a
 * declared permission are refused.
 */
export function installAccessHook(server: VigilServer, auth: AuthService): void {
  server.decorateRequest('access', null as unknown as Access);
  server.decorateRequest('principal', undefined);
  server.addHook('onRequest', async (request: FastifyRequest) => {
    const config = request.routeOptions.config ?? {};
    const permission = config.permission;
    if (permission === 'public' || (permission === undefined && !request.url.startsWith('/api/v1'))) {
      request.access = ANONYMOUS;
      return;
    }
    if (permission === undefined) {
      // An unknown URL gets the 404 handler; a route without a declared permission is a bug: fail closed.
      if (request.routeOptions.url === undefined) {
        request.access = ANONYMOUS;
        return;
      }
      throw new ForbiddenError('This route declares no permission and is refused');
    }
    const principal = await auth.authenticate({
      authorization: request.headers.authorization,
      sessionId: readCookie(request.headers.cookie, SESSION_COOKIE),
    });
    const write = !SAFE_METHODS.has(request.method);
    if (principal.session && write && request.headers['x-csrf-token'] !== principal.session.csrfToken) {
      throw new ForbiddenError('Cookie-authenticated changes need the X-CSRF-Token header from GET /api/v1/auth/me');
    }
    if (principal.session && principal.user.mustChangePassword && !config.beforePasswordChange) {
      throw new ForbiddenError('Choose a new password first (POST /api/v1/auth/password): yours was a one-time password', {
        reason: 'password_change_required',
      });
    }
    request.principal = principal;
    if (permission === 'authenticated') {
      request.access = auth.accessOutside(principal);
      return;
    }
    if (permission === 'admin') {
      if (!principal.user.isAdmin && principal.via !== 'local')
        throw new ForbiddenError('Only server administrators may do this');
      request.access = auth.accessOutside(principal);
      return;
    }
    const workspaceId = (request.params as { workspace?: string }).workspace;
    if (!workspaceId || !(PERMISSIONS as readonly string[]).includes(permission)) {
      throw new ForbiddenError('This route declares an unknown permission and is refused');
    }
    const options = { write, allowArchived: config.allowArchived ?? false };
    const access =
      config.allowAdmin && principal.user.isAdmin
        ? await auth.adminAccessIn(principal, workspaceId, options)
        : await auth.accessIn(principal, workspaceId, options);
    if (!access.permissions.has(permission as Permission)) {
      throw new ForbiddenError(
        `Your role in workspace ${workspaceId} (${access.roles.join(', ') || 'none'}) does not allow ${permission}`,
        {
          required: permission,
          roles: access.roles,
        },
      );
    }
    request.access = access;
  });
}

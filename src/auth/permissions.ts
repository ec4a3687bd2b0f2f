import { z } from 'zod';
import type { Actor } from '../common/actor.js';
import { ForbiddenError } from '../errors/errors.js';

/** Roles held per workspace (issue: Sentinel's Reader/Responder/Contributor and Logic Apps' roles). */
export const ROLES = [
  'Reader',
  'Responder',
  'Contributor',
  'PlaybookOperator',
  'PlaybookContributor',
  'Owner',
  'Ingestor',
] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });

/** What a caller may do inside a workspace. */
export const PERMISSIONS = [
  'workspace.read',
  'incidents.read',
  'incidents.write',
  'alerts.ingest',
  'rules.read',
  'rules.write',
  'playbooks.read',
  'playbooks.toggle',
  'playbooks.write',
  'playbooks.run',
  'workspace.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READER: Permission[] = ['workspace.read', 'incidents.read', 'rules.read', 'playbooks.read'];
const RESPONDER: Permission[] = [...READER, 'incidents.write', 'playbooks.run'];

/** Each role's permissions. A caller holding several roles has the union. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  Reader: READER,
  Responder: RESPONDER,
  Contributor: [...RESPONDER, 'rules.write', 'alerts.ingest'],
  PlaybookOperator: ['workspace.read', 'playbooks.read', 'playbooks.toggle'],
  PlaybookContributor: ['workspace.read', 'playbooks.read', 'playbooks.toggle', 'playbooks.write'],
  Owner: PERMISSIONS,
  Ingestor: ['alerts.ingest'],
};

/**
 * What a route needs: a workspace permission (the route has a `:workspace` parameter), `admin`
 * (server administrators), `authenticated` (any signed-in caller) or `public` (no credentials).
 */
export type RoutePermission = Permission | 'admin' | 'authenticated' | 'public';

/** The caller, as every handler and service sees it. */
export interface Access {
  /** The person behind the request (for a token, the token's owner). Absent on public routes. */
  user?: { id: string; email: string; displayName: string; isAdmin: boolean };
  /** How the caller authenticated. */
  via: 'session' | 'token' | 'local' | 'none';
  /** The actor recorded in activity entries. */
  actor: Actor;
  /** The workspace of the request and the caller's roles in it, on workspace routes. */
  workspaceId?: string;
  roles: Role[];
  permissions: ReadonlySet<Permission>;
  /** True when a server administrator administers a workspace (its members, archive state) without a role in it. */
  administering?: boolean;
}

/** The permissions granted by a set of roles. */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}

/** Throws ForbiddenError unless the caller holds the permission in the request's workspace. */
export function requirePermission(access: Access, permission: Permission): void {
  if (!access.permissions.has(permission)) {
    throw new ForbiddenError(`Your role in workspace ${access.workspaceId ?? ''} does not allow ${permission}`, {
      required: permission,
      roles: access.roles,
    });
  }
}

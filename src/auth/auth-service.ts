import type { Actor } from '../common/actor.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  RuleViolationError,
  UnauthorizedError,
} from '../errors/errors.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import { findUserByEmail, findUserById, type User } from '../users/user-repository.js';
import { findWorkspace, findWorkspaces } from '../workspaces/workspace-repository.js';
import {
  deleteSession,
  findSession,
  findTokenByHash,
  findTokenById,
  insertSession,
  insertToken,
  listTokens,
  revokeTokenRow,
  touchSession,
  touchToken,
} from './auth-repository.js';
import { LoginThrottle } from './login-throttle.js';
import { rolesInWorkspace, workspacesOfUser } from './membership.js';
import { permissionsOf, ROLE_PERMISSIONS, type Access, type Permission, type Role } from './permissions.js';
import { DUMMY_PASSWORD_HASH, hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js';

export const SESSION_COOKIE = 'vigil_session';
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
const TOUCH_INTERVAL_MS = 60 * 1000;

/** Who is calling, once their credentials are checked. */
export interface Principal {
  user: User;
  via: 'session' | 'token' | 'local';
  session?: { idHash: string; csrfToken: string };
  token?: { id: string; workspaceId: string; role: Role };
}

/** The credentials a request carries. */
export interface Credentials {
  authorization?: string;
  sessionId?: string;
}

/** A token as listed (never its secret). */
export interface TokenInfo {
  id: string;
  name: string;
  userId: string;
  workspaceId: string;
  role: Role;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

function tokenInfo(row: Awaited<ReturnType<typeof findTokenById>> & object): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id,
    workspaceId: row.workspace_id,
    role: row.role as Role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

/** How a request uses its workspace: whether it changes something, and whether an archived workspace allows it. */
export interface WorkspaceUse {
  write?: boolean;
  allowArchived?: boolean;
}

function refuseArchivedWrite(workspace: { id: string; archivedAt: number | null }, options: WorkspaceUse): void {
  if (workspace.archivedAt !== null && options.write && !options.allowArchived) {
    throw new ConflictError(`Workspace ${workspace.id} is archived: it can be read but not changed; un-archive it first`);
  }
}

/** Authentication (sessions, API tokens) and what a principal may do in a workspace. */
export type AuthService = ReturnType<typeof createAuthService>;

/**
 * Builds the auth service. `localSecret`, when given, is a per-process secret that lets the CLI
 * act on a local database in-process as an administrator (it never leaves the process).
 */
export function createAuthService({
  storage,
  now = Date.now,
  localSecret,
}: {
  storage: Storage;
  now?: () => number;
  localSecret?: string;
}) {
  const { db } = storage;
  const throttle = new LoginThrottle(10, 15 * 60 * 1000);

  const actorOf = (user: User): Actor => ({ type: 'user', id: user.id, name: user.displayName });

  /** The principal's roles per workspace: a token has its one; the local CLI owns everything. */
  async function membershipsOf(principal: Principal): Promise<Map<string, Role[]>> {
    if (principal.via === 'local') return new Map((await findWorkspaces(db)).map((w) => [w.id, ['Owner'] as Role[]]));
    if (principal.token) return new Map([[principal.token.workspaceId, [principal.token.role]]]);
    return workspacesOfUser(db, principal.user.id);
  }

  async function activeUser(id: string): Promise<User | undefined> {
    const user = await findUserById(db, id);
    return user && !user.disabled ? user : undefined;
  }

  async function fromToken(secret: string): Promise<Principal> {
    const row = await findTokenByHash(db, hashSecret(secret));
    const at = now();
    if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= at)) {
      throw new UnauthorizedError('The API token is not valid (unknown, revoked or expired)');
    }
    const user = await activeUser(row.user_id);
    if (!user) throw new UnauthorizedError('The API token belongs to a disabled user');
    if (row.last_used_at === null || at - row.last_used_at > TOUCH_INTERVAL_MS) await touchToken(db, row.id, at);
    return { user, via: 'token', token: { id: row.id, workspaceId: row.workspace_id, role: row.role as Role } };
  }

  async function fromSession(sessionId: string): Promise<Principal> {
    const idHash = hashSecret(sessionId);
    const session = await findSession(db, idHash);
    const at = now();
    if (!session || session.expires_at <= at || session.last_seen_at + SESSION_IDLE_MS <= at) {
      if (session) await deleteSession(db, idHash);
      throw new UnauthorizedError('Your session has expired; sign in again');
    }
    const user = await activeUser(session.user_id);
    if (!user) throw new UnauthorizedError('Your account is disabled');
    if (at - session.last_seen_at > TOUCH_INTERVAL_MS) await touchSession(db, idHash, at);
    return { user, via: 'session', session: { idHash, csrfToken: session.csrf_token } };
  }

  async function localPrincipal(): Promise<Principal> {
    const admin = await db
      .selectFrom('users')
      .select('id')
      .where('is_admin', '=', 1)
      .where('disabled', '=', 0)
      .orderBy('created_at')
      .executeTakeFirst();
    const user = admin ? await findUserById(db, admin.id) : undefined;
    if (!user) throw new UnauthorizedError('The database has no administrator yet; start the server once to create one');
    return { user, via: 'local' };
  }

  return {
    /** Checks the request's credentials; throws 401 when they are missing or invalid. */
    async authenticate(credentials: Credentials): Promise<Principal> {
      const header = credentials.authorization?.trim();
      if (header) {
        const [scheme, value] = header.split(/\s+/, 2);
        if (scheme?.toLowerCase() === 'bearer' && value) return fromToken(value);
        if (scheme === 'Local' && localSecret && value === localSecret) return localPrincipal();
        throw new UnauthorizedError('Send an API token as "Authorization: Bearer <token>"');
      }
      if (credentials.sessionId) return fromSession(credentials.sessionId);
      throw new UnauthorizedError('Sign in (POST /api/v1/auth/login) or send an API token as "Authorization: Bearer <token>"');
    },

    /**
     * What the principal may do in a workspace. A workspace the caller may not see is reported
     * as not found, exactly like one that does not exist.
     */
    async accessIn(principal: Principal, workspaceId: string, options: WorkspaceUse = {}): Promise<Access> {
      const base = { user: principal.user, via: principal.via, actor: actorOf(principal.user), workspaceId };
      const missing = new NotFoundError(`Workspace ${workspaceId} not found`);
      const workspace = await findWorkspace(db, workspaceId);
      if (!workspace) throw missing;
      let roles: Role[];
      let permissions: Set<Permission> | undefined;
      if (principal.via === 'local') {
        roles = ['Owner'];
      } else if (principal.token) {
        if (principal.token.workspaceId !== workspaceId) throw missing;
        // A token never carries more than its owner holds now: its role's permissions, less any
        // the owner has lost since; none once the owner leaves the workspace.
        const userRoles = await rolesInWorkspace(db, principal.user.id, workspaceId);
        roles = userRoles.length > 0 ? [principal.token.role] : [];
        const held = permissionsOf(userRoles);
        permissions = new Set([...permissionsOf(roles)].filter((p) => held.has(p)));
      } else {
        roles = await rolesInWorkspace(db, principal.user.id, workspaceId);
      }
      if (roles.length === 0) throw missing;
      refuseArchivedWrite(workspace, options);
      return { ...base, roles, permissions: permissions ?? permissionsOf(roles) };
    },

    /**
     * An administrator's access to a workspace they administer (members, archive state): their
     * own roles there, if any, plus the right to read and manage the workspace itself — not its data.
     */
    async adminAccessIn(principal: Principal, workspaceId: string, options: WorkspaceUse = {}): Promise<Access> {
      const workspace = await findWorkspace(db, workspaceId);
      if (!workspace) throw new NotFoundError(`Workspace ${workspaceId} not found`);
      refuseArchivedWrite(workspace, options);
      const roles =
        principal.via === 'local' ? (['Owner'] as Role[]) : await rolesInWorkspace(db, principal.user.id, workspaceId);
      const permissions = permissionsOf(roles);
      permissions.add('workspace.read');
      permissions.add('workspace.manage');
      return {
        user: principal.user,
        via: principal.via,
        actor: actorOf(principal.user),
        workspaceId,
        roles,
        permissions,
        administering: true,
      };
    },

    /** Access outside any workspace (the caller's own account, server administration). */
    accessOutside(principal: Principal): Access {
      return { user: principal.user, via: principal.via, actor: actorOf(principal.user), roles: [], permissions: new Set() };
    },

    /** Checks an email and password and starts a session. Throttled per account and per address. */
    async login(email: string, password: string, meta: { ip?: string; userAgent?: string }) {
      const at = now();
      const keys = [`account:${email.trim().toLowerCase()}`, `ip:${meta.ip ?? '?'}`];
      const wait = throttle.retryAfter(keys, at);
      if (wait > 0) {
        throw new RateLimitedError(`Too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} minute(s)`, {
          retryAfterSeconds: Math.ceil(wait / 1000),
        });
      }
      const user = await findUserByEmail(db, email);
      const row = user
        ? await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirst()
        : undefined;
      // Spend the same time whether or not the email exists, so timing reveals nothing.
      const valid = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
      if (!user || !valid || user.disabled || !row?.password_hash) {
        throttle.fail(keys, at);
        throw new UnauthorizedError('The email or password is not correct');
      }
      throttle.succeed(keys[0]!);
      const sessionId = newSecret('vss');
      const csrfToken = newSecret('csrf');
      await insertSession(db, {
        id_hash: hashSecret(sessionId),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: at,
        last_seen_at: at,
        expires_at: at + SESSION_ABSOLUTE_MS,
        ip: meta.ip ?? null,
        user_agent: meta.userAgent?.slice(0, 500) ?? null,
      });
      await db.updateTable('users').set({ last_login_at: at }).where('id', '=', user.id).execute();
      return { sessionId, csrfToken, user, expiresAt: at + SESSION_ABSOLUTE_MS };
    },

    /** Ends the caller's session. */
    async logout(principal: Principal): Promise<void> {
      if (principal.session) await deleteSession(db, principal.session.idHash);
    },

    /**
     * Replaces the caller's password after checking the current one (throttled like sign-in).
     * Their other sessions end; this one continues.
     */
    async changePassword(principal: Principal, current: string, next: string): Promise<void> {
      const at = now();
      const key = `account:${principal.user.email.toLowerCase()}`;
      const wait = throttle.retryAfter([key], at);
      if (wait > 0) throw new RateLimitedError(`Too many wrong passwords; try again in ${Math.ceil(wait / 60_000)} minute(s)`);
      const row = await db
        .selectFrom('users')
        .select(['password_hash', 'version'])
        .where('id', '=', principal.user.id)
        .executeTakeFirstOrThrow();
      if (!row.password_hash || !(await verifyPassword(current, row.password_hash))) {
        throttle.fail([key], at);
        throw new ForbiddenError('The current password is not correct');
      }
      if (current === next)
        throw new RuleViolationError('Choose a password different from the current one', [
          { path: 'newPassword', message: 'must differ from the current password' },
        ]);
      await db
        .updateTable('users')
        .set({ password_hash: await hashPassword(next), must_change_password: 0, updated_at: at, version: row.version + 1 })
        .where('id', '=', principal.user.id)
        .execute();
      let others = db.deleteFrom('sessions').where('user_id', '=', principal.user.id);
      if (principal.session) others = others.where('id_hash', '!=', principal.session.idHash);
      await others.execute();
    },

    /** The workspaces (not archived) where the principal holds a permission, e.g. to read incidents across them. */
    async workspacesWith(principal: Principal, permission: Permission): Promise<{ id: string; name: string }[]> {
      const memberships = await membershipsOf(principal);
      const allowed = [...memberships].filter(([, roles]) => permissionsOf(roles).has(permission)).map(([id]) => id);
      if (
        principal.token &&
        allowed.length > 0 &&
        (await rolesInWorkspace(db, principal.user.id, principal.token.workspaceId)).length === 0
      ) {
        return [];
      }
      return (await findWorkspaces(db, allowed)).filter((w) => w.archivedAt === null).map((w) => ({ id: w.id, name: w.name }));
    },

    /** The caller and the workspaces they can see, with their roles. */
    async me(principal: Principal) {
      const memberships = await membershipsOf(principal);
      const workspaces = await findWorkspaces(db, [...memberships.keys()]);
      return {
        user: principal.user,
        via: principal.via,
        csrfToken: principal.session?.csrfToken ?? null,
        workspaces: workspaces
          .filter((w) => w.archivedAt === null || principal.user.isAdmin)
          .map((w) => ({ id: w.id, name: w.name, archived: w.archivedAt !== null, roles: memberships.get(w.id) ?? [] })),
      };
    },

    /**
     * Creates an API token for the caller (or, for an administrator or workspace Owner, for
     * another user) in a workspace with a role. The secret is returned once and stored hashed.
     * A token never carries more than its owner holds: the role must be one the owner has.
     */
    async createToken(
      principal: Principal,
      input: { name: string; workspaceId: string; role: Role; expiresAt?: number; userId?: string },
    ) {
      const at = now();
      if (input.expiresAt !== undefined && input.expiresAt <= at) {
        throw new ConflictError('expiresAt is in the past');
      }
      const callerAccess = await this.accessIn(principal, input.workspaceId);
      const ownerId = input.userId ?? principal.user.id;
      if (ownerId !== principal.user.id && !callerAccess.permissions.has('workspace.manage') && !principal.user.isAdmin) {
        throw new ForbiddenError('Only a workspace Owner or an administrator may create tokens for other users');
      }
      const owner = await activeUser(ownerId);
      if (!owner) throw new NotFoundError(`User ${ownerId} not found`);
      const ownerRoles =
        principal.via === 'local' && ownerId === principal.user.id
          ? (['Owner'] as Role[])
          : await rolesInWorkspace(db, ownerId, input.workspaceId);
      const ownerPermissions = permissionsOf(ownerRoles);
      // Minted with a token, a token is also capped by the calling token's own rights.
      const cap = principal.via === 'token' ? callerAccess.permissions : ownerPermissions;
      if (principal.via === 'token' && !ROLE_PERMISSIONS[input.role].every((p) => cap.has(p))) {
        throw new ForbiddenError(
          `A token cannot create a token with more rights than its own (${callerAccess.roles.join(', ')})`,
        );
      }
      if (!ROLE_PERMISSIONS[input.role].every((p) => ownerPermissions.has(p))) {
        throw new ForbiddenError(
          `A token cannot carry more than its owner holds: ${owner.email} has ${ownerRoles.join(', ') || 'no role'} in ${input.workspaceId}, not ${input.role}`,
        );
      }
      const secret = newSecret('vgl');
      const row = {
        id: newId(at),
        token_hash: hashSecret(secret),
        name: input.name,
        user_id: ownerId,
        workspace_id: input.workspaceId,
        role: input.role,
        created_at: at,
        expires_at: input.expiresAt ?? null,
        revoked_at: null,
        last_used_at: null,
      };
      await insertToken(db, row);
      return { token: secret, info: tokenInfo(row) };
    },

    /** The caller's tokens, or all tokens of a workspace for its Owners and administrators. */
    async listTokens(principal: Principal, filter: { workspaceId?: string; all?: boolean }) {
      let userId: string | undefined = principal.user.id;
      if (filter.all) {
        if (filter.workspaceId) {
          const access = await this.accessIn(principal, filter.workspaceId);
          if (!access.permissions.has('workspace.manage') && !principal.user.isAdmin) {
            throw new ForbiddenError("Only a workspace Owner or an administrator may list everyone's tokens");
          }
          userId = undefined;
        } else if (principal.user.isAdmin || principal.via === 'local') {
          userId = undefined;
        } else {
          throw new ForbiddenError('Only an administrator may list every token');
        }
      }
      return (await listTokens(db, { userId, workspaceId: filter.workspaceId })).map(tokenInfo);
    },

    /** Revokes a token: the caller's own, or any in a workspace they own, or any for an administrator. */
    async revokeToken(principal: Principal, id: string): Promise<TokenInfo> {
      const row = await findTokenById(db, id);
      if (!row) throw new NotFoundError(`Token ${id} not found`);
      if (row.user_id !== principal.user.id && !principal.user.isAdmin && principal.via !== 'local') {
        const access = await this.accessIn(principal, row.workspace_id).catch(() => undefined);
        if (!access?.permissions.has('workspace.manage')) throw new NotFoundError(`Token ${id} not found`);
      }
      const at = now();
      await revokeTokenRow(db, id, at);
      return tokenInfo({ ...row, revoked_at: row.revoked_at ?? at });
    },
  };
}

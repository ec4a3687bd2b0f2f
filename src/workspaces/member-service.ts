import { grantRole } from '../auth/membership.js';
import { requirePermission, ROLES, type Access, type Role } from '../auth/permissions.js';
import { NotFoundError, RuleViolationError } from '../errors/errors.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { findGroupById, findGroupByName } from '../users/group-repository.js';
import { findUserByEmail, findUserById } from '../users/user-repository.js';

/** A member of a workspace: a user or a group, with the roles it holds there. */
export interface Member {
  type: 'user' | 'group';
  id: string;
  name: string;
  email: string | null;
  roles: Role[];
}

/** How a client names a user or group to grant roles to. */
export interface PrincipalInput {
  type?: 'user' | 'group';
  id?: string;
  email?: string;
  name?: string;
}

/** Finds the user (by id or email) or group (by id or name) a client names; 422 when there is none. */
export async function resolvePrincipal(db: Executor, input: PrincipalInput): Promise<{ type: 'user' | 'group'; id: string }> {
  const type = input.type ?? (input.email ? 'user' : input.name ? 'group' : 'user');
  if (type === 'user') {
    const user = input.id ? await findUserById(db, input.id) : input.email ? await findUserByEmail(db, input.email) : undefined;
    if (!user)
      throw new RuleViolationError(`There is no user ${input.email ?? input.id ?? ''}`, [
        { path: input.email ? 'email' : 'id', message: 'no such user' },
      ]);
    return { type, id: user.id };
  }
  const group = input.id ? await findGroupById(db, input.id) : input.name ? await findGroupByName(db, input.name) : undefined;
  if (!group)
    throw new RuleViolationError(`There is no group ${input.name ?? input.id ?? ''}`, [
      { path: input.name ? 'name' : 'id', message: 'no such group' },
    ]);
  return { type, id: group.id };
}

/** Members of workspaces and their roles: who may do what where. */
export type MemberService = ReturnType<typeof createMemberService>;

/** Builds the member service. */
export function createMemberService({ storage, now = Date.now }: { storage: Storage; now?: () => number }) {
  const { db } = storage;

  async function ownerCount(executor: Executor, workspaceId: string): Promise<number> {
    const row = await executor
      .selectFrom('workspace_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('role', '=', 'Owner')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function guardLastOwner(executor: Executor, access: Access): Promise<void> {
    if ((await ownerCount(executor, access.workspaceId!)) === 0 && !access.administering && !access.user?.isAdmin) {
      throw new RuleViolationError(`Workspace ${access.workspaceId} would have no Owner left; make someone else Owner first`);
    }
  }

  return {
    /** The workspace's members with their roles, users then groups, optionally matching `q`. */
    async list(access: Access, query: { q?: string }): Promise<Member[]> {
      requirePermission(access, 'workspace.read');
      const rows = await db
        .selectFrom('workspace_members')
        .select(['principal_type', 'principal_id', 'role'])
        .where('workspace_id', '=', access.workspaceId!)
        .execute();
      const byPrincipal = new Map<string, { type: 'user' | 'group'; id: string; roles: Set<string> }>();
      for (const row of rows) {
        const key = `${row.principal_type}:${row.principal_id}`;
        const entry = byPrincipal.get(key) ?? {
          type: row.principal_type as 'user' | 'group',
          id: row.principal_id,
          roles: new Set(),
        };
        entry.roles.add(row.role);
        byPrincipal.set(key, entry);
      }
      const members: Member[] = [];
      for (const entry of byPrincipal.values()) {
        const roles = ROLES.filter((r) => entry.roles.has(r));
        if (entry.type === 'user') {
          const user = await findUserById(db, entry.id);
          if (user) members.push({ type: 'user', id: user.id, name: user.displayName, email: user.email, roles });
        } else {
          const group = await findGroupById(db, entry.id);
          if (group) members.push({ type: 'group', id: group.id, name: group.name, email: null, roles });
        }
      }
      const q = query.q?.toLowerCase();
      return members
        .filter((m) => !q || m.name.toLowerCase().includes(q) || (m.email ?? '').toLowerCase().includes(q))
        .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'user' ? -1 : 1));
    },

    /** Sets exactly these roles for a user or group in the workspace (an empty list removes them). */
    async setRoles(access: Access, principal: PrincipalInput, roles: Role[]): Promise<Member[]> {
      requirePermission(access, 'workspace.manage');
      const at = now();
      await db.transaction().execute(async (trx) => {
        const target = await resolvePrincipal(trx, principal);
        await trx
          .deleteFrom('workspace_members')
          .where('workspace_id', '=', access.workspaceId!)
          .where('principal_type', '=', target.type)
          .where('principal_id', '=', target.id)
          .execute();
        for (const role of new Set(roles)) {
          await grantRole(trx, {
            workspaceId: access.workspaceId!,
            principalType: target.type,
            principalId: target.id,
            role,
            grantedBy: access.user?.id ?? null,
            at,
          });
        }
        await guardLastOwner(trx, access);
      });
      return this.list(access, {});
    },

    /** Removes a user or group from the workspace. */
    async remove(access: Access, type: 'user' | 'group', id: string): Promise<void> {
      requirePermission(access, 'workspace.manage');
      await db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom('workspace_members')
          .where('workspace_id', '=', access.workspaceId!)
          .where('principal_type', '=', type)
          .where('principal_id', '=', id)
          .executeTakeFirst();
        if (Number(removed.numDeletedRows) === 0)
          throw new NotFoundError(`${type} ${id} is not a member of workspace ${access.workspaceId}`);
        await guardLastOwner(trx, access);
      });
    },
  };
}

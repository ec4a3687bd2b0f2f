import type { Executor } from '../storage/dialect.js';
import { groupIdsOfUser } from '../users/group-repository.js';
import { ROLES, type Role } from './permissions.js';

/** The roles a user holds in a workspace, directly or through their groups. */
export async function rolesInWorkspace(db: Executor, userId: string, workspaceId: string): Promise<Role[]> {
  const groups = await groupIdsOfUser(db, userId);
  const rows = await db
    .selectFrom('workspace_members')
    .select('role')
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb.and([eb('principal_type', '=', 'user'), eb('principal_id', '=', userId)]),
        ...(groups.length ? [eb.and([eb('principal_type', '=', 'group'), eb('principal_id', 'in', groups)])] : []),
      ]),
    )
    .execute();
  const held = new Set(rows.map((r) => r.role));
  return ROLES.filter((role) => held.has(role));
}

/** Every workspace a user can see, with their roles in each. */
export async function workspacesOfUser(db: Executor, userId: string): Promise<Map<string, Role[]>> {
  const groups = await groupIdsOfUser(db, userId);
  const rows = await db
    .selectFrom('workspace_members')
    .select(['workspace_id', 'role'])
    .where((eb) =>
      eb.or([
        eb.and([eb('principal_type', '=', 'user'), eb('principal_id', '=', userId)]),
        ...(groups.length ? [eb.and([eb('principal_type', '=', 'group'), eb('principal_id', 'in', groups)])] : []),
      ]),
    )
    .execute();
  const byWorkspace = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = byWorkspace.get(row.workspace_id) ?? new Set<string>();
    set.add(row.role);
    byWorkspace.set(row.workspace_id, set);
  }
  return new Map([...byWorkspace].map(([ws, set]) => [ws, ROLES.filter((role) => set.has(role))]));
}

/** Grants a role in a workspace to a user or group (idempotent). */
export async function grantRole(
  db: Executor,
  grant: {
    workspaceId: string;
    principalType: 'user' | 'group';
    principalId: string;
    role: Role;
    grantedBy: string | null;
    at: number;
  },
): Promise<void> {
  await db
    .insertInto('workspace_members')
    .values({
      workspace_id: grant.workspaceId,
      principal_type: grant.principalType,
      principal_id: grant.principalId,
      role: grant.role,
      granted_at: grant.at,
      granted_by: grant.grantedBy,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

import { permissionsOf, type Role } from '../auth/permissions.js';
import type { Executor } from '../storage/dialect.js';
import { resolveOwner } from '../users/index.js';
import { findUsersByIds } from '../users/user-repository.js';
import type { StoredRecipients } from './notification-repository.js';
import type { NotificationRule, NotificationRecipientsInput } from './notification-schemas.js';

/**
 * Recipients: on save, users and groups must be members of the workspace (named by id, email or
 * name); at send time, users resolve to their current email, groups to their members' emails,
 * and only active users who may still read the workspace's incidents receive anything.
 */

/** Resolves the recipients a client named; a 422 names the first that is not a member of the workspace. */
export async function storeRecipients(
  db: Executor,
  workspaceId: string,
  input: NotificationRecipientsInput,
): Promise<StoredRecipients> {
  const userIds: string[] = [];
  for (const [i, ref] of input.users.entries()) {
    const owner = await resolveOwner(
      db,
      workspaceId,
      ref.includes('@') ? { type: 'user', email: ref } : { type: 'user', id: ref },
      `recipients.users[${i}]`,
    );
    if (!userIds.includes(owner.id)) userIds.push(owner.id);
  }
  const groupIds: string[] = [];
  for (const [i, ref] of input.groups.entries()) {
    const group = await resolveOwner(db, workspaceId, { type: 'group', id: ref }, `recipients.groups[${i}]`).catch(() =>
      resolveOwner(db, workspaceId, { type: 'group', name: ref }, `recipients.groups[${i}]`),
    );
    if (!groupIds.includes(group.id)) groupIds.push(group.id);
  }
  const addresses = [...new Set(input.addresses.map((a) => a.trim().toLowerCase()))];
  return { userIds, groupIds, addresses };
}

/** Recipients as the API shows them, with current names and emails (two queries for any number of rules). */
export async function describeRecipients(
  db: Executor,
  stored: StoredRecipients[],
): Promise<(recipients: StoredRecipients) => NotificationRule['recipients']> {
  const userIds = [...new Set(stored.flatMap((r) => r.userIds))];
  const groupIds = [...new Set(stored.flatMap((r) => r.groupIds))];
  const users = new Map((await findUsersByIds(db, userIds)).map((u) => [u.id, u]));
  const groups = new Map(
    (groupIds.length ? await db.selectFrom('groups').select(['id', 'name']).where('id', 'in', groupIds).execute() : []).map(
      (g) => [g.id, g.name],
    ),
  );
  return (recipients) => ({
    users: recipients.userIds.map((id) => {
      const user = users.get(id);
      return { id, name: user?.displayName ?? '(deleted user)', email: user?.email ?? '' };
    }),
    groups: recipients.groupIds.map((id) => ({ id, name: groups.get(id) ?? '(deleted group)' })),
    addresses: recipients.addresses,
  });
}

/** A recipient not mailed, and why. */
export interface SkippedRecipient {
  recipient: string;
  reason: string;
}

/** Who may receive a workspace's incident emails, among the users and groups some rules name. */
export interface Audience {
  /** The email addresses of one rule's recipients (lower-cased, de-duplicated), and who was left out. */
  addressesOf(recipients: StoredRecipients): { addresses: string[]; skipped: SkippedRecipient[] };
}

/**
 * Loads the audience of some rules in a few queries: the workspace's members, the named groups'
 * members, the users (disabled ones are left out) and their own group memberships, from which each
 * user's roles in the workspace, and so whether they may read incidents, follow.
 */
export async function loadAudience(db: Executor, workspaceId: string, rules: StoredRecipients[]): Promise<Audience> {
  const groupIds = [...new Set(rules.flatMap((r) => r.groupIds))];
  const members = await db
    .selectFrom('workspace_members')
    .select(['principal_type', 'principal_id', 'role'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const rolesOf = (type: string, id: string) =>
    members.filter((m) => m.principal_type === type && m.principal_id === id).map((m) => m.role as Role);
  const inGroups = groupIds.length
    ? await db.selectFrom('group_members').select(['group_id', 'user_id']).where('group_id', 'in', groupIds).execute()
    : [];
  const userIds = [...new Set([...rules.flatMap((r) => r.userIds), ...inGroups.map((m) => m.user_id)])];
  const users = new Map((await findUsersByIds(db, userIds)).map((u) => [u.id, u]));
  const memberships = userIds.length
    ? await db.selectFrom('group_members').select(['group_id', 'user_id']).where('user_id', 'in', userIds).execute()
    : [];
  const canRead = (userId: string) => {
    const roles = [
      ...rolesOf('user', userId),
      ...memberships.filter((m) => m.user_id === userId).flatMap((m) => rolesOf('group', m.group_id)),
    ];
    return permissionsOf(roles).has('incidents.read');
  };

  return {
    addressesOf(recipients) {
      const addresses = new Set<string>();
      const skipped: SkippedRecipient[] = [];
      const addUser = (id: string, via: string) => {
        const user = users.get(id);
        if (!user) return skipped.push({ recipient: `user ${id}`, reason: `the user no longer exists${via}` });
        if (user.disabled) return skipped.push({ recipient: user.email, reason: `the user is disabled${via}` });
        if (!canRead(id))
          return skipped.push({
            recipient: user.email,
            reason: `the user may no longer read incidents in workspace ${workspaceId}${via}`,
          });
        addresses.add(user.email.trim().toLowerCase());
      };
      for (const id of recipients.userIds) addUser(id, '');
      for (const groupId of recipients.groupIds) {
        if (rolesOf('group', groupId).length === 0) {
          skipped.push({ recipient: `group ${groupId}`, reason: `the group no longer has a role in workspace ${workspaceId}` });
          continue;
        }
        for (const m of inGroups.filter((g) => g.group_id === groupId)) addUser(m.user_id, ' (group member)');
      }
      for (const address of recipients.addresses) addresses.add(address.trim().toLowerCase());
      const unique = [...new Set(skipped.map((s) => s.recipient))].map((r) => skipped.find((s) => s.recipient === r)!);
      return { addresses: [...addresses], skipped: unique.filter((s) => !addresses.has(s.recipient.toLowerCase())) };
    },
  };
}

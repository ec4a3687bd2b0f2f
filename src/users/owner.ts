import { z } from 'zod';
import { RuleViolationError } from '../errors/errors.js';
import type { Executor } from '../storage/dialect.js';
import { findGroupById, findGroupByName, findGroupsByIds } from './group-repository.js';
import { rolesInWorkspace } from '../auth/membership.js';
import { findUserByEmail, findUserById, findUsersByIds } from './user-repository.js';

export const OWNER_TYPES = ['user', 'group'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

/** An incident's or alert's owner, as stored: a reference. */
export interface OwnerRef {
  type: OwnerType;
  id: string;
}

/** An owner as the API shows it: the reference with a name to display. */
export const ownerSchema = z
  .object({
    type: z.enum(OWNER_TYPES),
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
  })
  .meta({ id: 'Owner' });
export type Owner = z.infer<typeof ownerSchema>;

/**
 * How a client names an owner: a user by id or email, or a group by id or name. The type can be
 * left out for a user given by email.
 */
export const ownerInputSchema = z
  .strictObject({
    type: z.enum(OWNER_TYPES, { error: 'must be user or group' }).optional(),
    id: z.string().min(1).max(200).optional(),
    email: z.string().min(3).max(320).optional(),
    name: z.string().min(1).max(200).optional(),
  })
  .refine((o) => o.id !== undefined || o.email !== undefined || o.name !== undefined, {
    message: 'needs an id, an email (for a user) or a name (for a group)',
  })
  .meta({ id: 'OwnerReference' });
export type OwnerInput = z.infer<typeof ownerInputSchema>;

/**
 * Resolves an owner input to an active user, or a group, that is a member of the workspace (holds a
 * role there, directly or through a group). Otherwise a 422 that does not say whether the user or
 * group exists elsewhere.
 */
export async function resolveOwner(db: Executor, workspaceId: string, input: OwnerInput, path = 'owner'): Promise<Owner> {
  const type: OwnerType = input.type ?? (input.name !== undefined && input.email === undefined ? 'group' : 'user');
  if (type === 'user') {
    const user = input.id ? await findUserById(db, input.id) : input.email ? await findUserByEmail(db, input.email) : undefined;
    if (!user || user.disabled || (await rolesInWorkspace(db, user.id, workspaceId)).length === 0) {
      const what = input.id ? `id ${JSON.stringify(input.id)}` : `email ${JSON.stringify(input.email ?? input.name)}`;
      throw new RuleViolationError(`${path}: no active member of workspace ${workspaceId} has ${what}`, [
        { path, message: `no active member with ${what}` },
      ]);
    }
    return { type: 'user', id: user.id, name: user.displayName, email: user.email };
  }
  const group = input.id ? await findGroupById(db, input.id) : input.name ? await findGroupByName(db, input.name) : undefined;
  const member =
    group &&
    (await db
      .selectFrom('workspace_members')
      .select('role')
      .where('workspace_id', '=', workspaceId)
      .where('principal_type', '=', 'group')
      .where('principal_id', '=', group.id)
      .executeTakeFirst());
  if (!group || !member) {
    const what = input.id ? `id ${JSON.stringify(input.id)}` : `name ${JSON.stringify(input.name)}`;
    throw new RuleViolationError(`${path}: no group with ${what} has a role in workspace ${workspaceId}`, [
      { path, message: `no member group with ${what}` },
    ]);
  }
  return { type: 'group', id: group.id, name: group.name, email: null };
}

/** Looks up display names for many owner references at once (a page of incidents). */
export async function describeOwners(db: Executor, refs: OwnerRef[]): Promise<Map<string, Owner>> {
  const userIds = [...new Set(refs.filter((r) => r.type === 'user').map((r) => r.id))];
  const groupIds = [...new Set(refs.filter((r) => r.type === 'group').map((r) => r.id))];
  const [users, groups] = await Promise.all([findUsersByIds(db, userIds), findGroupsByIds(db, groupIds)]);
  const owners = new Map<string, Owner>();
  for (const user of users)
    owners.set(`user:${user.id}`, { type: 'user', id: user.id, name: user.displayName, email: user.email });
  for (const group of groups) owners.set(`group:${group.id}`, { type: 'group', id: group.id, name: group.name, email: null });
  return owners;
}

/** The map key describeOwners uses. */
export const ownerKey = (ref: OwnerRef) => `${ref.type}:${ref.id}`;

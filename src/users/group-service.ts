import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { findGroupById, findGroupByName, groupNameKey, toGroup, type Group } from './group-repository.js';
import type { GroupView } from './user-schemas.js';
import { findUserByEmail, findUserById } from './user-repository.js';

async function present(db: Executor, group: Group): Promise<GroupView> {
  const members = await db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email', 'u.display_name'])
    .where('m.group_id', '=', group.id)
    .orderBy('u.email_key')
    .execute();
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    members: members.map((m) => ({ id: m.id, email: m.email, displayName: m.display_name })),
    createdAt: isoTime(group.createdAt),
    updatedAt: isoTime(group.updatedAt),
    etag: etagOf(group.version),
  };
}

/** Groups of users: they can own incidents and hold roles in workspaces. Managed by administrators. */
export type GroupService = ReturnType<typeof createGroupService>;

/** Builds the group service. */
export function createGroupService({ storage, now = Date.now }: { storage: Storage; now?: () => number }) {
  const { db } = storage;

  async function requireGroup(ref: string): Promise<Group> {
    const group = (await findGroupById(db, ref)) ?? (await findGroupByName(db, ref));
    if (!group) throw new NotFoundError(`Group ${ref} not found`);
    return group;
  }

  async function requireUser(ref: string) {
    const user = (await findUserById(db, ref)) ?? (ref.includes('@') ? await findUserByEmail(db, ref) : undefined);
    if (!user) throw new NotFoundError(`User ${ref} not found`);
    return user;
  }

  return {
    /** Every group, by name. */
    async list(): Promise<GroupView[]> {
      const rows = await db.selectFrom('groups').selectAll().orderBy('name_key').execute();
      const out: GroupView[] = [];
      for (const row of rows) out.push(await present(db, toGroup(row)));
      return out;
    },

    /** One group, by id or name. */
    async get(ref: string): Promise<GroupView> {
      return present(db, await requireGroup(ref));
    },

    /** Creates a group; names are unique, ignoring case. */
    async create(input: { name: string; description: string }): Promise<GroupView> {
      if (await findGroupByName(db, input.name)) throw new ConflictError(`A group named ${input.name} already exists`);
      const at = now();
      const group: Group = {
        id: newId(at),
        name: input.name,
        description: input.description,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      await db
        .insertInto('groups')
        .values({
          id: group.id,
          name: group.name,
          name_key: groupNameKey(group.name),
          description: group.description,
          created_at: at,
          updated_at: at,
          version: 1,
        })
        .execute();
      return present(db, group);
    },

    /** Renames a group or changes its description. */
    async update(ref: string, patch: { name?: string; description?: string }, ifMatch?: string): Promise<GroupView> {
      const group = await requireGroup(ref);
      if (ifMatch !== undefined && ifMatch !== String(group.version)) {
        throw new PreconditionFailedError(`Group ${group.name} was changed since you read it; reload and try again`);
      }
      if (patch.name && groupNameKey(patch.name) !== groupNameKey(group.name) && (await findGroupByName(db, patch.name))) {
        throw new ConflictError(`A group named ${patch.name} already exists`);
      }
      const next: Group = {
        ...group,
        name: patch.name ?? group.name,
        description: patch.description ?? group.description,
        updatedAt: now(),
        version: group.version + 1,
      };
      await db
        .updateTable('groups')
        .set({
          name: next.name,
          name_key: groupNameKey(next.name),
          description: next.description,
          updated_at: next.updatedAt,
          version: next.version,
        })
        .where('id', '=', group.id)
        .execute();
      return present(db, next);
    },

    /** Deletes a group with its memberships and the roles granted to it. Incidents it owned keep the reference. */
    async remove(ref: string): Promise<void> {
      const group = await requireGroup(ref);
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('workspace_members')
          .where('principal_type', '=', 'group')
          .where('principal_id', '=', group.id)
          .execute();
        await trx.deleteFrom('group_members').where('group_id', '=', group.id).execute();
        await trx.deleteFrom('groups').where('id', '=', group.id).execute();
      });
    },

    /** Adds a user (by id or email) to a group (idempotent). */
    async addMember(ref: string, userRef: string): Promise<GroupView> {
      const group = await requireGroup(ref);
      const user = await requireUser(userRef);
      await db
        .insertInto('group_members')
        .values({ group_id: group.id, user_id: user.id, added_at: now() })
        .onConflict((oc) => oc.doNothing())
        .execute();
      return present(db, group);
    },

    /** Removes a user from a group. */
    async removeMember(ref: string, userRef: string): Promise<GroupView> {
      const group = await requireGroup(ref);
      const user = await requireUser(userRef);
      await db.deleteFrom('group_members').where('group_id', '=', group.id).where('user_id', '=', user.id).execute();
      return present(db, group);
    },
  };
}

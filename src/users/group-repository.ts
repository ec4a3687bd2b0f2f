import type { Executor } from '../storage/dialect.js';
import type { GroupsTable } from '../storage/schema.js';

/** A group of users; incidents can be owned by a group, and roles can be granted to one. */
export interface Group {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** The lookup key for a group name: case-insensitive. */
export const groupNameKey = (name: string) => name.trim().toLowerCase();

/** Maps a groups row to a Group. */
export function toGroup(row: GroupsTable): Group {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Finds a group by id. */
export async function findGroupById(db: Executor, id: string): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toGroup(row) : undefined;
}

/** Finds a group by name, case-insensitively. */
export async function findGroupByName(db: Executor, name: string): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('name_key', '=', groupNameKey(name)).executeTakeFirst();
  return row ? toGroup(row) : undefined;
}

/** Finds groups by ids. */
export async function findGroupsByIds(db: Executor, ids: string[]): Promise<Group[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('groups').selectAll().where('id', 'in', ids).execute();
  return rows.map(toGroup);
}

/** The ids of the groups a user belongs to. */
export async function groupIdsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('group_members').select('group_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.group_id);
}

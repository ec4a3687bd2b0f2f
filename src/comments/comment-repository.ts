import { sql } from 'kysely';
import type { Executor } from '../storage/dialect.js';
import type { CommentsTable } from '../storage/schema.js';

/** Reads one comment of an incident. */
export async function findComment(
  db: Executor,
  workspaceId: string,
  incidentId: string,
  id: string,
): Promise<CommentsTable | undefined> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('incident_id', '=', incidentId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A page of an incident's comments, newest first. */
export async function listComments(
  db: Executor,
  workspaceId: string,
  incidentId: string,
  page: { beforeId?: string; limit: number },
): Promise<CommentsTable[]> {
  let query = db.selectFrom('comments').selectAll().where('workspace_id', '=', workspaceId).where('incident_id', '=', incidentId);
  if (page.beforeId) query = query.where('id', '<', page.beforeId);
  return query
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

/** Adjusts an incident's comment count (a derived count: it does not change the incident's etag). */
export async function adjustCommentCount(trx: Executor, workspaceId: string, incidentId: string, delta: number, at: number) {
  await trx
    .updateTable('incidents')
    .set({ comment_count: sql`comment_count + ${delta}`, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', incidentId)
    .execute();
}

import type { Executor } from '../storage/dialect.js';
import type { ApiTokensTable, SessionsTable } from '../storage/schema.js';

/** Reads a session by the hash of its id. */
export async function findSession(db: Executor, idHash: string): Promise<SessionsTable | undefined> {
  return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

/** Stores a new session. */
export async function insertSession(db: Executor, session: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/** Records activity on a session (for idle expiry). */
export async function touchSession(db: Executor, idHash: string, at: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

/** Ends a session. */
export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends all of a user's sessions (password reset, disabling). */
export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Removes expired sessions. */
export async function deleteExpiredSessions(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

/** Reads a token by the hash of its secret. */
export async function findTokenByHash(db: Executor, hash: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

/** Reads a token by id. */
export async function findTokenById(db: Executor, id: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stores a new token (its hash only). */
export async function insertToken(db: Executor, token: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
}

/** Lists tokens, optionally of one user and/or workspace, newest first. */
export async function listTokens(db: Executor, filter: { userId?: string; workspaceId?: string }): Promise<ApiTokensTable[]> {
  let query = db.selectFrom('api_tokens').selectAll();
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.workspaceId) query = query.where('workspace_id', '=', filter.workspaceId);
  return query.orderBy('created_at', 'desc').execute();
}

/** Marks a token revoked. */
export async function revokeTokenRow(db: Executor, id: string, at: number): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Records that a token was used. */
export async function touchToken(db: Executor, id: string, at: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

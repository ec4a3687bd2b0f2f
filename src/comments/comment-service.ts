import { insertActivity } from '../activity/activity-repository.js';
import { requirePermission, type Access } from '../auth/permissions.js';
import { renderMarkdown } from '../common/markdown.js';
import { LIMITS } from '../common/limits.js';
import {
  ForbiddenError,
  LimitExceededError,
  NotFoundError,
  PreconditionFailedError,
  RuleViolationError,
} from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { newId } from '../ids/ids.js';
import { NO_AUTOMATION, type IncidentAutomation } from '../incidents/incident-automation.js';
import { findIncident, type IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import type { CommentsTable } from '../storage/schema.js';
import { adjustCommentCount, findComment, listComments } from './comment-repository.js';
import type { Comment } from './comment-schemas.js';

/** A comment row as the API returns it. */
export function toComment(row: CommentsTable): Comment {
  return {
    id: row.id,
    incidentId: row.incident_id,
    message: row.message,
    html: renderMarkdown(row.message),
    author: { type: row.author_type as Comment['author']['type'], id: row.author_id, name: row.author_name },
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    editedAt: isoTime(row.edited_at),
    etag: etagOf(row.version),
  };
}

function checkLength(message: string): void {
  if (message.length > LIMITS.commentLength) {
    throw new LimitExceededError(`A comment holds at most ${LIMITS.commentLength} characters; this one has ${message.length}`, [
      { path: 'message', message: `at most ${LIMITS.commentLength} characters` },
    ]);
  }
}

/** Comments on incidents: markdown, at most 100 per incident, editable and deletable by their author. */
export type CommentService = ReturnType<typeof createCommentService>;

/** Builds the comment service. */
export function createCommentService({
  storage,
  now = Date.now,
  automation = NO_AUTOMATION,
}: {
  storage: Storage;
  now?: () => number;
  automation?: IncidentAutomation;
}) {
  const { db, dialect } = storage;

  async function incidentOf(access: Access, ref: string, executor = db, lock = false): Promise<IncidentRecord> {
    const incident = await findIncident(executor, access.workspaceId!, ref, lock ? dialect : undefined);
    if (!incident) throw new NotFoundError(`Incident ${ref} not found in workspace ${access.workspaceId}`);
    return incident;
  }

  function requireAuthor(access: Access, row: CommentsTable, verb: string): void {
    if (row.author_type !== access.actor.type || row.author_id !== access.actor.id) {
      throw new ForbiddenError(`Only the author (${row.author_name}) may ${verb} this comment`);
    }
  }

  /** Adds a comment inside the caller's transaction (playbook actions record their step with it). */
  async function addWithin(trx: Executor, access: Access, ref: string, message: string): Promise<CommentsTable> {
    requirePermission(access, 'incidents.write');
    checkLength(message);
    const at = now();
    const incident = await incidentOf(access, ref, trx, true);
    if (incident.commentCount >= LIMITS.commentsPerIncident) {
      throw new RuleViolationError(
        `Incident ${incident.number} already has ${LIMITS.commentsPerIncident} comments, the most an incident can hold (as in Sentinel)`,
        { limit: LIMITS.commentsPerIncident },
      );
    }
    const row: CommentsTable = {
      workspace_id: incident.workspaceId,
      id: newId(at),
      incident_id: incident.id,
      message,
      author_type: access.actor.type,
      author_id: access.actor.id,
      author_name: access.actor.name,
      created_at: at,
      updated_at: at,
      edited_at: null,
      version: 1,
    };
    await trx.insertInto('comments').values(row).execute();
    await adjustCommentCount(trx, incident.workspaceId, incident.id, 1, at);
    await insertActivity(trx, dialect, [
      {
        workspaceId: incident.workspaceId,
        incidentId: incident.id,
        action: 'commentAdded',
        actor: access.actor,
        changes: [],
        commentId: row.id,
        at,
      },
    ]);
    // A new comment is an incident update ("Comments added") for incident-updated rules.
    await automation.updated(
      trx,
      { ...incident, commentCount: incident.commentCount + 1, updatedAt: at },
      { action: 'commentAdded', actor: access.actor, changes: [] },
      { now: at },
    );
    return row;
  }

  return {
    /** A page of an incident's comments, newest first. */
    async list(access: Access, ref: string, page: { limit: number; cursor?: string }) {
      requirePermission(access, 'incidents.read');
      const incident = await incidentOf(access, ref);
      const rows = await listComments(db, access.workspaceId!, incident.id, { beforeId: page.cursor, limit: page.limit });
      const items = rows.slice(0, page.limit);
      return { items: items.map(toComment), nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null };
    },

    /** Adds a comment; the incident's activity log records it. */
    async add(access: Access, ref: string, message: string): Promise<Comment> {
      return toComment(await db.transaction().execute((trx) => addWithin(trx, access, ref, message)));
    },

    addWithin,

    /** Edits a comment (its author only); the edit is recorded with the previous text. */
    async edit(access: Access, ref: string, commentId: string, message: string, ifMatch?: string): Promise<Comment> {
      requirePermission(access, 'incidents.write');
      checkLength(message);
      const at = now();
      const row = await db.transaction().execute(async (trx) => {
        const incident = await incidentOf(access, ref, trx, true);
        const current = await findComment(trx, incident.workspaceId, incident.id, commentId);
        if (!current) throw new NotFoundError(`Comment ${commentId} not found on incident ${incident.number}`);
        requireAuthor(access, current, 'edit');
        if (ifMatch !== undefined && ifMatch !== String(current.version)) {
          throw new PreconditionFailedError('The comment was changed since you read it; reload it and try again');
        }
        if (current.message === message) return current;
        const next = { ...current, message, updated_at: at, edited_at: at, version: current.version + 1 };
        await trx
          .updateTable('comments')
          .set({ message, updated_at: at, edited_at: at, version: next.version })
          .where('workspace_id', '=', incident.workspaceId)
          .where('id', '=', commentId)
          .execute();
        await insertActivity(trx, dialect, [
          {
            workspaceId: incident.workspaceId,
            incidentId: incident.id,
            action: 'commentEdited',
            actor: access.actor,
            changes: [{ field: 'message', from: current.message, to: message }],
            commentId,
            at,
          },
        ]);
        return next;
      });
      return toComment(row);
    },

    /** Deletes a comment (its author only); the activity log keeps that it was deleted, not its text. */
    async remove(access: Access, ref: string, commentId: string): Promise<void> {
      requirePermission(access, 'incidents.write');
      const at = now();
      await db.transaction().execute(async (trx) => {
        const incident = await incidentOf(access, ref, trx, true);
        const current = await findComment(trx, incident.workspaceId, incident.id, commentId);
        if (!current) throw new NotFoundError(`Comment ${commentId} not found on incident ${incident.number}`);
        requireAuthor(access, current, 'delete');
        await trx.deleteFrom('comments').where('workspace_id', '=', incident.workspaceId).where('id', '=', commentId).execute();
        await adjustCommentCount(trx, incident.workspaceId, incident.id, -1, at);
        await insertActivity(trx, dialect, [
          {
            workspaceId: incident.workspaceId,
            incidentId: incident.id,
            action: 'commentDeleted',
            actor: access.actor,
            changes: [],
            commentId,
            at,
          },
        ]);
      });
    },
  };
}

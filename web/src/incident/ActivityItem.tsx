import { useState } from 'react';
import { useDeleteComment, useEditComment } from '../api/comments.js';
import type { ActivityEntry } from '../api/types.js';
import { ErrorNotice } from '../ui/feedback.js';
import { actorLabel, formatTime, timeAgo } from '../ui/format.js';
import { actionText, changeText } from './change-text.js';
import { CommentBox } from './CommentBox.js';

const ACTOR_CLASS: Record<ActivityEntry['actor']['type'], string> = {
  user: 'by-user',
  automationRule: 'by-automation',
  playbook: 'by-automation',
  system: 'by-system',
};

/** One entry of the activity log: who, when, what changed (field by field), or the comment itself. */
export function ActivityItem({
  workspace,
  number,
  entry,
  meId,
  canWrite,
}: {
  workspace: string;
  number: number;
  entry: ActivityEntry;
  meId: string;
  canWrite: boolean;
}) {
  const isComment = entry.action === 'commentAdded' && entry.comment;
  return (
    <li className={`activity-item ${ACTOR_CLASS[entry.actor.type]} ${isComment ? 'comment' : 'change'}`}>
      <div className="activity-head row">
        <span className="avatar" aria-hidden="true">
          {initials(entry.actor.name, entry.actor.type)}
        </span>
        <strong>{actorLabel(entry.actor)}</strong>
        <span className="muted">{actionText(entry)}</span>
        <span className="spacer" />
        <time className="muted" dateTime={entry.createdAt} title={formatTime(entry.createdAt)}>
          {timeAgo(entry.createdAt)}
        </time>
      </div>
      {isComment ? (
        <CommentContent workspace={workspace} number={number} entry={entry} meId={meId} canWrite={canWrite} />
      ) : (
        entry.changes.length > 0 &&
        !(entry.action === 'commentEdited' || entry.action === 'commentDeleted') && (
          <ul className="change-list">
            {entry.changes.map((change, i) => (
              <li key={i}>{changeText(change)}</li>
            ))}
          </ul>
        )
      )}
    </li>
  );
}

function initials(name: string, type: ActivityEntry['actor']['type']): string {
  if (type === 'automationRule') return '⚙';
  if (type === 'playbook') return '▶';
  if (type === 'system') return 'V';
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** A comment in the log: its server-sanitized HTML, with Edit and Delete for its author. */
function CommentContent({
  workspace,
  number,
  entry,
  meId,
  canWrite,
}: {
  workspace: string;
  number: number;
  entry: ActivityEntry;
  meId: string;
  canWrite: boolean;
}) {
  const edit = useEditComment(workspace, number);
  const remove = useDeleteComment(workspace, number);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const comment = entry.comment!;
  if (comment.message === null || comment.html === null) {
    return <p className="muted deleted-comment">This comment was deleted.</p>;
  }
  const own = entry.actor.type === 'user' && entry.actor.id === meId && canWrite;
  if (editing) {
    return (
      <CommentBox
        label="Edit comment"
        initial={comment.message}
        submitLabel="Save"
        saving={edit.isPending}
        error={edit.error}
        onCancel={() => {
          edit.reset();
          setEditing(false);
        }}
        onSubmit={(message) => edit.mutate({ id: comment.id, message }, { onSuccess: () => setEditing(false) })}
      />
    );
  }
  return (
    <div className="comment-body">
      {/* The API renders comments to HTML and sanitizes it (no scripts, safe links and images only). */}
      <div className="markdown" dangerouslySetInnerHTML={{ __html: comment.html }} />
      {own && (
        <div className="row comment-actions">
          {confirming ? (
            <>
              <span>Delete this comment?</span>
              <button
                type="button"
                className="danger small"
                onClick={() => remove.mutate(comment.id)}
                disabled={remove.isPending}
              >
                Delete
              </button>
              <button type="button" className="small" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <>
              <button type="button" className="link" onClick={() => setEditing(true)} aria-label="Edit your comment">
                Edit
              </button>
              <button
                type="button"
                className="link danger-link"
                onClick={() => setConfirming(true)}
                aria-label="Delete your comment"
              >
                Delete
              </button>
            </>
          )}
        </div>
      )}
      <ErrorNotice error={remove.error} what="comment" />
    </div>
  );
}

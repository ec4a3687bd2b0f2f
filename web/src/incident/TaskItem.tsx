import { useState } from 'react';
import { useDeleteTask, useUpdateTask } from '../api/tasks.js';
import type { Task } from '../api/types.js';
import { ErrorNotice } from '../ui/feedback.js';
import { actorLabel, formatTime, timeAgo } from '../ui/format.js';
import { TaskForm } from './TaskForm.js';

/**
 * One task: a round checkbox to complete or re-open it, its description (opened on demand), who
 * created it, and Edit / Delete for the caller's own tasks. The colour band tells a person's task
 * from one an automation rule or a playbook added.
 */
export function TaskItem({
  workspace,
  number,
  task,
  meId,
  canWrite,
}: {
  workspace: string;
  number: number;
  task: Task;
  meId: string;
  canWrite: boolean;
}) {
  const update = useUpdateTask(workspace, number);
  const remove = useDeleteTask(workspace, number);
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [expanded, setExpanded] = useState(false);
  // While a completion or re-opening is on its way, the checkbox shows what was asked for.
  const [asked, setAsked] = useState<Task['status'] | null>(null);
  const done = (asked ?? task.status) === 'Completed';
  const setStatus = (status: Task['status']) => {
    setAsked(status);
    update.mutate({ task, changes: { status } }, { onSettled: () => setAsked(null) });
  };
  const own = task.createdBy.type === 'user' && task.createdBy.id === meId;
  const descriptionId = `task-description-${task.id}`;
  if (mode === 'edit') {
    return (
      <li className={`task ${task.manual ? 'manual' : 'automated'}`}>
        <TaskForm
          initial={{ title: task.title, description: task.description }}
          saving={update.isPending}
          error={update.error}
          onCancel={() => {
            update.reset();
            setMode('view');
          }}
          onSave={(changes) => update.mutate({ task, changes }, { onSuccess: () => setMode('view') })}
        />
      </li>
    );
  }
  return (
    <li className={`task ${task.manual ? 'manual' : 'automated'} ${done ? 'done' : ''}`}>
      <div className="task-main">
        <input
          type="checkbox"
          className="round-check"
          checked={done}
          disabled={!canWrite || update.isPending}
          aria-label={task.title}
          title={!canWrite ? 'Your role cannot change tasks' : done ? 'Re-open this task' : 'Mark this task complete'}
          onChange={(event) => setStatus(event.target.checked ? 'Completed' : 'New')}
        />
        <div className="task-body">
          <div className="task-title">{task.title}</div>
          <div className="task-meta muted">
            Created by {actorLabel(task.createdBy)} · <span title={formatTime(task.createdAt)}>{timeAgo(task.createdAt)}</span>
            {done && task.completedBy && <> · Completed by {actorLabel(task.completedBy)}</>}
          </div>
          {(task.description.trim() || (own && canWrite && mode === 'view')) && (
            <div className="task-links row">
              {task.description.trim() && (
                <button
                  type="button"
                  className="link small-link"
                  aria-expanded={expanded}
                  aria-controls={descriptionId}
                  onClick={() => setExpanded(!expanded)}
                >
                  {expanded ? 'Hide description' : 'Show description'}
                </button>
              )}
              <span className="spacer" />
              {own && canWrite && mode === 'view' && (
                <>
                  <button
                    type="button"
                    className="link small-link"
                    onClick={() => setMode('edit')}
                    aria-label={`Edit task ${task.title}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="link small-link danger-link"
                    onClick={() => setMode('confirm-delete')}
                    aria-label={`Delete task ${task.title}`}
                  >
                    Delete
                  </button>
                </>
              )}
            </div>
          )}
          {expanded && (
            // descriptionHtml is rendered and sanitized by the server (safe tags and links only).
            <div
              id={descriptionId}
              className="markdown task-description"
              dangerouslySetInnerHTML={{ __html: task.descriptionHtml }}
            />
          )}
        </div>
      </div>
      {mode === 'confirm-delete' && (
        <div className="task-actions row" role="group" aria-label="Confirm deletion">
          <span>Delete this task?</span>
          <button type="button" className="danger small" onClick={() => remove.mutate(task)} disabled={remove.isPending}>
            Delete
          </button>
          <button type="button" className="small" onClick={() => setMode('view')}>
            Keep
          </button>
        </div>
      )}
      <ErrorNotice error={update.error ?? remove.error} what="task" />
    </li>
  );
}

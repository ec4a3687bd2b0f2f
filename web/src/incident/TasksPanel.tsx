import { useState } from 'react';
import { TASK_LIMITS } from '../../../src/tasks/task-schemas.js';
import { useAddTask, useTasks } from '../api/tasks.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { TaskForm } from './TaskForm.js';
import { TaskItem } from './TaskItem.js';

/** The Tasks panel (right column, as in Sentinel): the checklist in order, progress, "+ Add task". */
export function TasksPanel({
  workspace,
  number,
  meId,
  canWrite,
}: {
  workspace: string;
  number: number;
  meId: string;
  canWrite: boolean;
}) {
  const tasks = useTasks(workspace, number);
  const add = useAddTask(workspace, number);
  const [adding, setAdding] = useState(false);
  const items = tasks.data?.items ?? [];
  const completed = items.filter((t) => t.status === 'Completed').length;
  const full = items.length >= TASK_LIMITS.perIncident;
  return (
    <aside className="tasks-panel card" aria-labelledby="tasks-heading">
      <div className="row card-head">
        <h2 id="tasks-heading">Tasks</h2>
        {tasks.data && (
          <span className="muted">
            {completed} of {items.length} completed
          </span>
        )}
      </div>
      {items.length > 0 && (
        <div
          className="progress"
          role="progressbar"
          aria-label="Tasks completed"
          aria-valuemin={0}
          aria-valuemax={items.length}
          aria-valuenow={completed}
        >
          <span style={{ width: `${(completed / items.length) * 100}%` }} />
        </div>
      )}
      {tasks.isPending && <Loading label="Loading tasks…" />}
      <ErrorNotice error={tasks.error} what="task list" onRetry={() => void tasks.refetch()} />
      {tasks.data && items.length === 0 && !adding && (
        <EmptyState title="No tasks yet">
          {canWrite
            ? 'Add the steps to work through, or let an automation rule add them.'
            : 'Automation rules and analysts add them.'}
        </EmptyState>
      )}
      <ol className="task-list">
        {items.map((task) => (
          <TaskItem key={task.id} workspace={workspace} number={number} task={task} meId={meId} canWrite={canWrite} />
        ))}
      </ol>
      <div className="legend muted row wrap">
        <span className="band manual" aria-hidden="true" /> Added by a person
        <span className="band automated" aria-hidden="true" /> Added by automation
      </div>
      {adding ? (
        <TaskForm
          saving={add.isPending}
          error={add.error}
          onCancel={() => {
            add.reset();
            setAdding(false);
          }}
          onSave={(input) =>
            add.mutate(input, {
              onSuccess: () => setAdding(false),
            })
          }
        />
      ) : (
        canWrite && (
          <button
            type="button"
            className="add-task"
            onClick={() => setAdding(true)}
            disabled={full}
            title={full ? `An incident holds at most ${TASK_LIMITS.perIncident} tasks` : undefined}
          >
            + Add task
          </button>
        )
      )}
      {full && canWrite && (
        <p className="muted small-text">This incident has {TASK_LIMITS.perIncident} tasks, the most an incident can hold.</p>
      )}
    </aside>
  );
}

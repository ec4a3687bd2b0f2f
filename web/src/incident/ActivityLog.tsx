import { useState } from 'react';
import { useIncidentActivity, type ActivityFilter } from '../api/activity.js';
import { useAddComment } from '../api/comments.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { ActivityItem } from './ActivityItem.js';
import { CommentBox } from './CommentBox.js';

const FILTERS: { value: ActivityFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'changes', label: 'Changes' },
  { value: 'comments', label: 'Comments' },
  { value: 'tasks', label: 'Tasks' },
  { value: 'automation', label: 'Automation' },
];

const EMPTY: Record<ActivityFilter, string> = {
  all: 'Nothing has happened to this incident yet',
  changes: 'No changes yet',
  comments: 'No comments yet',
  tasks: 'No task has been added, completed or changed yet',
  automation: 'No automation rule or playbook has changed this incident',
};

/** The activity log: a comment box, then changes and comments newest first, filtered by kind, a page at a time. */
export function ActivityLog({
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
  const [filter, setFilter] = useState<ActivityFilter>('all');
  const activity = useIncidentActivity(workspace, number, filter);
  const add = useAddComment(workspace, number);
  const entries = activity.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card activity-log" aria-labelledby="activity-heading">
      <div className="row card-head">
        <h2 id="activity-heading">Activity log</h2>
      </div>
      {canWrite ? (
        <CommentBox
          label="Comment"
          submitLabel="Comment"
          saving={add.isPending}
          error={add.error}
          onSubmit={(message, clear) => add.mutate(message, { onSuccess: clear })}
        />
      ) : (
        <p className="muted">Your role can read this incident but not comment on it.</p>
      )}
      <div className="row filter-row" role="group" aria-label="Show">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            className={`filter-chip ${filter === f.value ? 'active' : ''}`}
            aria-pressed={filter === f.value}
            onClick={() => setFilter(f.value)}
          >
            {f.label}
          </button>
        ))}
      </div>
      {activity.isPending && <Loading label="Loading the activity log…" />}
      <ErrorNotice error={activity.error} what="activity log" onRetry={() => void activity.refetch()} />
      {activity.data && entries.length === 0 && <EmptyState title={EMPTY[filter]} />}
      <ol className="activity-list" aria-label="Activity">
        {entries.map((entry) => (
          <ActivityItem key={entry.id} workspace={workspace} number={number} entry={entry} meId={meId} canWrite={canWrite} />
        ))}
      </ol>
      {activity.hasNextPage && (
        <button type="button" onClick={() => void activity.fetchNextPage()} disabled={activity.isFetchingNextPage}>
          {activity.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

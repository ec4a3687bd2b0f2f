import { useState } from 'react';
import { Link } from 'react-router-dom';
import { usePlaybookList } from '../api/playbooks.js';
import { useRunPage } from '../api/runs.js';
import { wsUrl } from '../app/workspace.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { actorLabel, formatTime, timeAgo } from '../ui/format.js';
import { Pager, useCursorPager } from './Pager.js';
import { formatDuration, RunStatusBadge } from './RunStatusBadge.js';
import { shortRunId } from './run-id.js';

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

/**
 * Runs newest first, 50 a page, with status (and, without `playbook`, playbook) filters; live while
 * a run on the page is unfinished.
 */
export function RunTable({ workspace, playbook }: { workspace: string; playbook?: string }) {
  const [status, setStatus] = useState('');
  const [chosenPlaybook, setChosenPlaybook] = useState('');
  const pager = useCursorPager();
  const playbooks = usePlaybookList(workspace, {});
  const runs = useRunPage(workspace, { status, playbook: playbook ?? chosenPlaybook, limit: 50, cursor: pager.cursor });
  return (
    <div>
      <div className="toolbar">
        <select
          aria-label="Run status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            pager.reset();
          }}
        >
          <option value="">All statuses</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
        {!playbook && (
          <select
            aria-label="Playbook"
            value={chosenPlaybook}
            onChange={(e) => {
              setChosenPlaybook(e.target.value);
              pager.reset();
            }}
          >
            <option value="">All playbooks</option>
            {playbooks.data?.items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
        {runs.isFetching && !runs.isPending && <span className="spinner" aria-label="Refreshing" />}
      </div>
      {runs.isPending ? (
        <Loading label="Loading runs…" />
      ) : runs.error ? (
        <ErrorNotice error={runs.error} onRetry={() => void runs.refetch()} />
      ) : runs.data.items.length === 0 ? (
        <EmptyState title={status || chosenPlaybook ? 'No run matches these filters' : 'No runs yet'}>
          {status || chosenPlaybook
            ? 'Clear the filters to see every run.'
            : 'Runs appear here when an automation rule, a webhook, a schedule or someone with "Run now" starts a playbook.'}
        </EmptyState>
      ) : (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>Run</th>
                {!playbook && <th>Playbook</th>}
                <th>Status</th>
                <th>Trigger</th>
                <th>Started by</th>
                <th>Queued</th>
                <th>Duration</th>
                <th>Steps</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={wsUrl(workspace, `/runs/${r.id}`)} className="mono">
                      {shortRunId(r.id)}
                    </Link>
                  </td>
                  {!playbook && (
                    <td>
                      <Link to={wsUrl(workspace, `/playbooks/${r.playbook.id}`)}>{r.playbook.name}</Link>{' '}
                      <span className="muted">v{r.playbook.version}</span>
                    </td>
                  )}
                  <td>
                    <RunStatusBadge status={r.status} />
                    {r.message && (
                      <div className="muted clamp" title={r.message}>
                        {r.message}
                      </div>
                    )}
                  </td>
                  <td>{r.trigger.kind}</td>
                  <td>{actorLabel(r.startedBy)}</td>
                  <td title={formatTime(r.queuedAt)}>{timeAgo(r.queuedAt)}</td>
                  <td className="num">{formatDuration(r.durationMs)}</td>
                  <td className="num">{r.stepsExecuted}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pager={pager} nextCursor={runs.data.nextCursor} />
        </>
      )}
    </div>
  );
}

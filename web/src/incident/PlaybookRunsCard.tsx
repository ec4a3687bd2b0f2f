import { Link } from 'react-router-dom';
import { useIncidentRuns, type PlaybookRun } from '../api/incident-runs.js';
import { wsUrl } from '../app/workspace.js';
import { Badge } from '../ui/badges.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { actorLabel, formatTime, words } from '../ui/format.js';

const STATUS_TONE: Record<PlaybookRun['status'], 'ok' | 'bad' | 'warn' | 'neutral'> = {
  succeeded: 'ok',
  failed: 'bad',
  cancelled: 'neutral',
  queued: 'neutral',
  running: 'warn',
  waiting: 'warn',
};

/** "1.2 s", "3 min 4 s", "2 h 5 min"; a dash while the run has not finished. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The playbook runs on this incident, newest first, each linking to its run page; "Run playbook" starts one. */
export function PlaybookRunsCard({
  workspace,
  number,
  canRun,
  onRun,
}: {
  workspace: string;
  number: number;
  canRun: boolean;
  onRun: () => void;
}) {
  const runs = useIncidentRuns(workspace, number);
  const items = runs.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="runs-heading">
      <div className="row card-head">
        <h2 id="runs-heading">Playbook runs</h2>
        <span className="spacer" />
        {canRun && (
          <button type="button" className="small" onClick={onRun}>
            Run playbook
          </button>
        )}
      </div>
      {runs.isPending && <Loading label="Loading runs…" />}
      <ErrorNotice error={runs.error} what="run list" onRetry={() => void runs.refetch()} />
      {runs.data && items.length === 0 && (
        <EmptyState title="No playbook has run on this incident">
          {canRun
            ? 'Use Run playbook to run one now, or let an automation rule run one.'
            : 'Automation rules and responders start them.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">Playbook</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Started by</th>
            </tr>
          </thead>
          <tbody>
            {items.map((run) => (
              <tr key={run.id}>
                <td>
                  <Link to={wsUrl(workspace, `/runs/${run.id}`)}>{run.playbook.name}</Link>
                </td>
                <td>
                  <Badge tone={STATUS_TONE[run.status]}>{words(run.status)}</Badge>
                </td>
                <td className="num">{formatTime(run.startedAt ?? run.queuedAt)}</td>
                <td className="num">{formatDuration(run.durationMs)}</td>
                <td>{actorLabel(run.startedBy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { Link } from 'react-router-dom';
import { useRuleRuns, type RuleRun } from '../api/automation-rules.js';
import { wsUrl } from '../app/workspace.js';
import { Badge } from '../ui/badges.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { formatTime } from '../ui/format.js';
import { ACTION_LABELS, TRIGGER_SHORT } from './labels.js';

const OUTCOMES: Record<RuleRun['outcome'], { label: string; tone: 'ok' | 'bad' | 'warn' | 'neutral' }> = {
  applied: { label: 'Applied', tone: 'ok' },
  partial: { label: 'Some actions failed', tone: 'warn' },
  failed: { label: 'Failed', tone: 'bad' },
  unchanged: { label: 'Changed nothing', tone: 'neutral' },
};

const RESULT_WORDS: Record<RuleRun['results'][number]['outcome'], string> = {
  applied: 'applied',
  unchanged: 'already so, nothing changed',
  failed: 'failed',
  pending: 'playbook run queued',
};

/** Where a run happened: the incident (a link), or the alert an alert-created rule ran for. */
function RunTarget({ workspace, run }: { workspace: string; run: RuleRun }) {
  if (run.incidentNumber !== null) {
    return <Link to={wsUrl(workspace, `/incidents/${run.incidentNumber}`)}>#{run.incidentNumber}</Link>;
  }
  if (run.alertId) return <span title={run.alertId}>alert {run.alertId.slice(-8)}</span>;
  return <span className="muted">—</span>;
}

/** What the run's actions did: the ones that did not simply apply, one per line, or that all applied. */
function RunActions({ run }: { run: RuleRun }) {
  const notable = run.results.filter((r) => r.outcome !== 'applied');
  if (notable.length === 0) {
    return (
      <span className="muted">
        {run.results.length === 1 ? 'Its action applied' : `All ${run.results.length} actions applied`}
      </span>
    );
  }
  return (
    <ul className="run-actions">
      {notable.map((r) => (
        <li key={r.index} className={r.outcome === 'failed' ? 'failed' : undefined}>
          {r.index + 1}. {ACTION_LABELS[r.type]?.verb ?? r.type}: {RESULT_WORDS[r.outcome]}
          {r.outcome === 'failed' && r.detail ? ` — ${r.detail}` : ''}
        </li>
      ))}
    </ul>
  );
}

/** A saved rule's run log, newest first: when it ran, on which incident, and what its actions did. */
export function RunHistory({ workspace, ruleId }: { workspace: string; ruleId: string }) {
  const runs = useRuleRuns(workspace, ruleId);
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card run-history" aria-label="Run history" id="runs">
      <div className="row">
        <h2 style={{ margin: 0 }}>Run history</h2>
        <span className="spacer" />
        <button type="button" className="small" disabled={runs.isFetching} onClick={() => void runs.refetch()}>
          Refresh
        </button>
      </div>
      {runs.isPending && <Loading label="Loading runs…" />}
      <ErrorNotice error={runs.error} what="run log" onRetry={() => void runs.refetch()} />
      {runs.data && items.length === 0 && (
        <EmptyState title="This rule has not run yet">
          It runs when its trigger fires and its conditions match; each run is listed here.
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="grid run-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Trigger</th>
                <th>Incident</th>
                <th>Outcome</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <tr key={run.id} data-run={run.id}>
                  <td className="nowrap">{formatTime(run.createdAt)}</td>
                  <td className="nowrap">{TRIGGER_SHORT[run.trigger]}</td>
                  <td className="nowrap">
                    <RunTarget workspace={workspace} run={run} />
                  </td>
                  <td className="nowrap">
                    <Badge tone={OUTCOMES[run.outcome]?.tone ?? 'neutral'}>{OUTCOMES[run.outcome]?.label ?? run.outcome}</Badge>
                  </td>
                  <td>
                    <RunActions run={run} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.hasNextPage && (
        <button type="button" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
          {runs.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

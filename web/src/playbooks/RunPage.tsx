import { Link, useNavigate, useParams } from 'react-router-dom';
import { isFinished, useCancelRun, useRerun, useRun, useRunIncident, type RunDetail } from '../api/runs.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';
import { actorLabel, formatTime } from '../ui/format.js';
import { JsonView } from './JsonView.js';
import { formatDuration, RunStatusBadge } from './RunStatusBadge.js';
import { StepTree } from './StepTree.js';
import { shortRunId } from './run-id.js';
import './playbooks.css';

/** /w/:ws/runs/:run — a run's header, its live step tree, Cancel and Re-run. */
export function RunPage() {
  const workspace = useWorkspaceId();
  const { run: id = '' } = useParams();
  const run = useRun(workspace, id);
  if (run.isPending) return <Loading label="Loading the run…" />;
  if (run.error) return <ErrorNotice error={run.error} what="run" onRetry={() => void run.refetch()} />;
  return <RunScreen workspace={workspace} run={run.data} />;
}

function RunScreen({ workspace, run }: { workspace: string; run: RunDetail }) {
  const me = useMe();
  const cancel = useCancelRun(workspace);
  const rerun = useRerun(workspace);
  const navigate = useNavigate();
  const incident = useRunIncident(workspace, run.trigger.incidentId);
  const mayRun = can(me.data, workspace, 'playbooks.run');
  const finished = isFinished(run.status);
  return (
    <>
      <PageHeader
        title={
          <>
            Run of <Link to={wsUrl(workspace, `/playbooks/${run.playbook.id}`)}>{run.playbook.name}</Link>
          </>
        }
      >
        <RunStatusBadge status={run.status} />
        {!finished && !run.cancelRequested && <span className="spinner" aria-label="Running: refreshing" />}
        {mayRun && !finished && (
          <button
            type="button"
            className="danger"
            disabled={cancel.isPending || run.cancelRequested}
            title={run.cancelRequested ? 'Cancel requested: the run stops before its next step' : undefined}
            onClick={() => cancel.mutate(run.id)}
          >
            {run.cancelRequested ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
        {mayRun && finished && (
          <button
            type="button"
            disabled={rerun.isPending}
            onClick={() => rerun.mutate(run.id, { onSuccess: (next) => navigate(wsUrl(workspace, `/runs/${next.id}`)) })}
          >
            ↻ Re-run
          </button>
        )}
        <Link to={wsUrl(workspace, '/runs')}>All runs</Link>
      </PageHeader>
      <div className="page-body stack">
        <ErrorNotice error={cancel.error} what="run" />
        <ErrorNotice error={rerun.error} what="run" />
        <dl className="card run-facts">
          <Fact label="Playbook version">v{run.playbook.version}</Fact>
          <Fact label="Trigger">
            {run.trigger.kind}
            {run.trigger.source && ` · ${run.trigger.source.type} ${run.trigger.source.name}`}
          </Fact>
          <Fact label="On">
            {run.trigger.incidentId ? (
              incident.data ? (
                <Link to={wsUrl(workspace, `/incidents/${incident.data.number}`)}>
                  Incident #{incident.data.number} {incident.data.title}
                </Link>
              ) : (
                <span className="mono">incident {run.trigger.incidentId}</span>
              )
            ) : run.trigger.alertId ? (
              <span className="mono">alert {run.trigger.alertId}</span>
            ) : (
              'nothing (manual run)'
            )}
          </Fact>
          <Fact label="Started by">{actorLabel(run.startedBy)}</Fact>
          <Fact label="Queued">{formatTime(run.queuedAt)}</Fact>
          <Fact label="Started">{formatTime(run.startedAt)}</Fact>
          <Fact label="Duration">{finished ? formatDuration(run.durationMs) : 'still running'}</Fact>
          <Fact label="Steps run">{run.stepsExecuted}</Fact>
          {run.rerunOf && (
            <Fact label="Re-run of">
              <Link to={wsUrl(workspace, `/runs/${run.rerunOf}`)} className="mono">
                {shortRunId(run.rerunOf)}
              </Link>
            </Fact>
          )}
        </dl>
        {run.message && (
          <div
            className={`notice ${run.status === 'failed' ? 'error' : 'info'}`}
            role={run.status === 'failed' ? 'alert' : 'status'}
          >
            {run.message}
          </div>
        )}
        {Object.keys(run.inputs).length > 0 && <JsonView label="Run inputs" value={run.inputs} />}
        <section className="card">
          <h2>Steps</h2>
          <StepTree steps={run.steps} />
        </section>
      </div>
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

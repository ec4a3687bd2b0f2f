import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useAnswerApproval, useApprovals, type Approval } from '../api/approvals.js';
import { useRunIncident } from '../api/runs.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { Badge } from '../ui/badges.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { formatTime, timeAgo } from '../ui/format.js';
import { Tabs } from './Tabs.js';
import { shortRunId } from './run-id.js';
import './playbooks.css';

const TABS = [
  { id: 'pending', label: 'Waiting for an answer' },
  { id: 'done', label: 'Answered and expired' },
] as const;
const PENDING = ['pending'] as const;
const DONE = ['answered', 'expired', 'cancelled'] as const;

/** /w/:ws/approvals — approval requests of waiting runs: answer with a choice; answered ones in a second tab. */
export function ApprovalsPage() {
  const workspace = useWorkspaceId();
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('pending');
  const list = useApprovals(workspace, tab === 'pending' ? PENDING : DONE);
  return (
    <>
      <PageHeader title="Approvals" />
      <div className="page-body stack">
        <Tabs tabs={TABS} current={tab} onChange={setTab} label="Approvals" />
        <div role="tabpanel" aria-label={TABS.find((t) => t.id === tab)!.label}>
          {list.isPending ? (
            <Loading label="Loading approval requests…" />
          ) : list.error ? (
            <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
          ) : list.data.items.length === 0 ? (
            <EmptyState title={tab === 'pending' ? 'Nothing is waiting for an answer' : 'No answered requests yet'}>
              {tab === 'pending'
                ? 'When a playbook reaches an approval step, its question appears here until someone answers or it expires.'
                : 'Requests move here once answered, expired or cancelled.'}
            </EmptyState>
          ) : (
            <ul className="approval-list">
              {list.data.items.map((a) => (
                <ApprovalCard key={a.id} workspace={workspace} approval={a} />
              ))}
            </ul>
          )}
        </div>
      </div>
    </>
  );
}

function ApprovalCard({ workspace, approval: a }: { workspace: string; approval: Approval }) {
  const me = useMe();
  const answer = useAnswerApproval(workspace);
  const incident = useRunIncident(workspace, a.incidentId);
  const mayAnswer = can(me.data, workspace, 'playbooks.run') || a.assignees.users.includes(me.data?.user.email ?? '');
  const assignees = [...a.assignees.users, ...a.assignees.groups.map((g) => `${g} (group)`)];
  return (
    <li className="card approval" aria-label={`Approval: ${a.message}`}>
      <div className="row wrap approval-head">
        <Link to={wsUrl(workspace, `/playbooks/${a.playbook.id}`)}>{a.playbook.name}</Link>
        <span className="muted">·</span>
        <Link to={wsUrl(workspace, `/runs/${a.runId}`)}>Run {shortRunId(a.runId)}</Link>
        {a.incidentId && (
          <>
            <span className="muted">·</span>
            {incident.data ? (
              <Link to={wsUrl(workspace, `/incidents/${incident.data.number}`)}>
                Incident #{incident.data.number} {incident.data.title}
              </Link>
            ) : (
              <span className="muted">Incident</span>
            )}
          </>
        )}
        <span className="spacer" />
        <span className="muted" title={formatTime(a.createdAt)}>
          Requested {timeAgo(a.createdAt)}
        </span>
      </div>
      <p className="approval-question">{a.message}</p>
      <div className="muted">
        {a.status === 'pending' ? (
          <>
            Expires {formatTime(a.expiresAt)} — then “{a.defaultChoice}” applies.{' '}
          </>
        ) : null}
        Who may answer: {assignees.length ? assignees.join(', ') : 'anyone who may run playbooks here'}
      </div>
      {a.status === 'pending' ? (
        <div className="row wrap choices" role="group" aria-label="Answer">
          {a.choices.map((choice) => (
            <button
              key={choice}
              type="button"
              className={choice === a.defaultChoice ? undefined : 'primary'}
              disabled={answer.isPending || !mayAnswer}
              title={mayAnswer ? undefined : 'Only the named assignees may answer'}
              onClick={() => answer.mutate({ approval: a, choice })}
            >
              {choice}
            </button>
          ))}
        </div>
      ) : (
        <div className="row">
          <Badge tone={a.status === 'answered' ? 'ok' : 'neutral'}>{a.status}</Badge>
          {a.choice && (
            <span>
              <strong>{a.choice}</strong>
              {a.answeredBy && ` by ${a.answeredBy.name}`}
              {a.answeredVia && a.answeredVia !== 'default' && ` (via ${a.answeredVia})`}
              {a.answeredAt && <span className="muted"> · {formatTime(a.answeredAt)}</span>}
            </span>
          )}
        </div>
      )}
      <ErrorNotice error={answer.error} what="approval request" />
    </li>
  );
}

import { useState } from 'react';
import { Link } from 'react-router-dom';
import { usePlaybookList, type Playbook } from '../api/playbooks.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { timeAgo, formatTime } from '../ui/format.js';
import { DeletePlaybookDialog } from './DeletePlaybookDialog.js';
import { EnabledToggle } from './EnabledToggle.js';
import { Pager, useCursorPager } from './Pager.js';
import { RunStatusBadge } from './RunStatusBadge.js';
import { TriggerLabel } from './TriggerLabel.js';
import './playbooks.css';

/** /w/:ws/playbooks — every playbook with its trigger, state, run counts and last run; enable, disable, delete. */
export function PlaybookListPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const [q, setQ] = useState('');
  const [trigger, setTrigger] = useState('');
  const [enabled, setEnabled] = useState('');
  const pager = useCursorPager();
  const list = usePlaybookList(workspace, { q, trigger, enabled, limit: 50, cursor: pager.cursor });
  const [deleting, setDeleting] = useState<Playbook | null>(null);
  const mayWrite = can(me.data, workspace, 'playbooks.write');
  const filter = (set: (v: string) => void) => (value: string) => {
    set(value);
    pager.reset();
  };
  return (
    <>
      <PageHeader title="Playbooks">
        {mayWrite ? (
          <Link className="button primary" to={wsUrl(workspace, '/playbooks/new')}>
            + New playbook
          </Link>
        ) : (
          <span className="muted">Playbook contributors can create playbooks.</span>
        )}
      </PageHeader>
      <div className="page-body">
        <div className="toolbar">
          <input
            type="search"
            aria-label="Search playbooks by name"
            placeholder="Search by name"
            value={q}
            onChange={(e) => filter(setQ)(e.target.value)}
          />
          <select aria-label="Trigger" value={trigger} onChange={(e) => filter(setTrigger)(e.target.value)}>
            <option value="">All triggers</option>
            {['incident', 'alert', 'manual', 'webhook', 'schedule'].map((t) => (
              <option key={t} value={t}>
                {t.charAt(0).toUpperCase() + t.slice(1)}
              </option>
            ))}
          </select>
          <select aria-label="State" value={enabled} onChange={(e) => filter(setEnabled)(e.target.value)}>
            <option value="">Enabled and disabled</option>
            <option value="true">Enabled</option>
            <option value="false">Disabled</option>
          </select>
          {list.isFetching && !list.isPending && <span className="spinner" aria-label="Refreshing" />}
        </div>
        {list.isPending ? (
          <Loading label="Loading playbooks…" />
        ) : list.error ? (
          <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={q || trigger || enabled ? 'No playbook matches these filters' : 'No playbooks yet'}>
            {q || trigger || enabled
              ? 'Clear the search or the filters to see every playbook.'
              : 'A playbook is a YAML workflow of actions (comment, add a task, call a service) that automation rules, webhooks, schedules or people start. Create one with "New playbook".'}
          </EmptyState>
        ) : (
          <>
            <PlaybookTable workspace={workspace} items={list.data.items} onDelete={mayWrite ? setDeleting : undefined} />
            <Pager pager={pager} nextCursor={list.data.nextCursor} />
          </>
        )}
      </div>
      {deleting && <DeletePlaybookDialog workspace={workspace} playbook={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}

function PlaybookTable({
  workspace,
  items,
  onDelete,
}: {
  workspace: string;
  items: Playbook[];
  onDelete?: (playbook: Playbook) => void;
}) {
  return (
    <table className="grid playbook-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Status</th>
          <th>Trigger</th>
          <th>Runs</th>
          <th>Last run</th>
          <th>Version</th>
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.id}>
            <td className="name-cell">
              <Link to={wsUrl(workspace, `/playbooks/${p.id}`)}>{p.name}</Link>
              {p.description && <div className="muted clamp">{p.description}</div>}
            </td>
            <td>
              <EnabledToggle workspace={workspace} playbook={p} />
            </td>
            <td>
              <TriggerLabel trigger={p.trigger} schedule={p.schedule} />
            </td>
            <td className="num">
              <span title="Succeeded" className="count ok">
                ✓ {p.runs.succeeded}
              </span>{' '}
              <span title="Failed" className="count bad">
                ✕ {p.runs.failed}
              </span>{' '}
              <span className="muted" title="Finished runs">
                of {p.runs.total}
              </span>
            </td>
            <td>
              {p.runs.last ? (
                <Link to={wsUrl(workspace, `/runs/${p.runs.last.id}`)} className="row" title={formatTime(p.runs.last.at)}>
                  <RunStatusBadge status={p.runs.last.status} />
                  <span className="muted">{timeAgo(p.runs.last.at)}</span>
                </Link>
              ) : (
                <span className="muted">Never run</span>
              )}
            </td>
            <td className="num">v{p.version}</td>
            <td>
              {onDelete && (
                <button type="button" className="small danger" aria-label={`Delete ${p.name}`} onClick={() => onDelete(p)}>
                  Delete
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

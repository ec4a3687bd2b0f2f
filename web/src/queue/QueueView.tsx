import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useIncidentCounts, useIncidentPage, type QueueIncident } from '../api/incidents.js';
import { can, useMe } from '../api/session.js';
import type { BulkResult, Incident } from '../api/types.js';
import { PageHeader } from '../app/Layout.js';
import { wsUrl } from '../app/workspace.js';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../ui/feedback.js';
import { CopyLinkButton } from './CopyLinkButton.js';
import { CountsBar } from './CountsBar.js';
import { IncidentTable } from './IncidentTable.js';
import { ManageIncidentsPane } from './ManageIncidentsPane.js';
import { NewIncidentDialog } from './NewIncidentDialog.js';
import { Pager } from './Pager.js';
import { QueueFilters } from './QueueFilters.js';
import { activeFilterCount, filterQuery, listQuery, useQueueParams } from './queue-params.js';
import { useRecentChanges } from './use-recent-changes.js';
import './queue.css';

/** The incidents chosen with the row checkboxes, by id (kept across pages until cleared). */
function useSelection() {
  const [selected, setSelected] = useState<ReadonlyMap<string, QueueIncident>>(new Map());
  const toggle = useCallback((incident: QueueIncident, on: boolean) => {
    setSelected((current) => {
      const next = new Map(current);
      if (on) next.set(incident.id, incident);
      else next.delete(incident.id);
      return next;
    });
  }, []);
  const toggleMany = useCallback((incidents: QueueIncident[], on: boolean) => {
    setSelected((current) => {
      const next = new Map(current);
      for (const incident of incidents) {
        if (on) next.set(incident.id, incident);
        else next.delete(incident.id);
      }
      return next;
    });
  }, []);
  const clear = useCallback(() => setSelected(new Map()), []);
  return { selected, toggle, toggleMany, clear };
}

/**
 * The incident queue: counts, filters, the table and paging, all driven by the URL. `workspace`
 * null is the cross-workspace queue (a Workspace column; bulk changes are per workspace).
 */
export function QueueView({ workspace }: { workspace: string | null }) {
  const me = useMe();
  const scope = workspace ?? '*';
  const { params, update, clearFilters, nextPage, previousPage, firstPage, pageNumber } = useQueueParams();
  const list = useIncidentPage(
    scope,
    useMemo(() => listQuery(params), [params]),
  );
  const counts = useIncidentCounts(
    scope,
    useMemo(() => filterQuery(params), [params]),
  );
  const { selected, toggle, toggleMany, clear } = useSelection();
  const { recent, newSinceOpened, resetNew } = useRecentChanges(workspace);
  const [managing, setManaging] = useState(false);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<ReactNode>(null);
  const mayWrite = workspace !== null && can(me.data, workspace, 'incidents.write');
  const items = list.data?.items ?? [];
  const filtered = activeFilterCount(params) > 0;

  // Stable: the side pane re-focuses its first field whenever its onClose changes.
  const closeManage = useCallback(() => setManaging(false), []);
  const onBulkDone = (result: BulkResult) => {
    setManaging(false);
    clear();
    setNotice(`Updated ${result.succeeded} incident${result.succeeded === 1 ? '' : 's'}.`);
  };
  const onCreated = (incident: Incident) => {
    setCreating(false);
    setNotice(
      <>
        Created incident #{incident.number}.{' '}
        <Link to={wsUrl(workspace ?? '', `/incidents/${incident.number}`)}>Open {incident.title}</Link>
      </>,
    );
  };

  return (
    <>
      <PageHeader title={workspace ? 'Incidents' : 'Incidents — all workspaces'}>
        <CopyLinkButton />
        <ManageButton
          workspace={workspace}
          mayWrite={mayWrite}
          count={selected.size}
          onClick={() => setManaging(true)}
          onClear={clear}
        />
        {mayWrite && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New incident
          </button>
        )}
      </PageHeader>
      <div className="page-body stack queue-page">
        {notice && (
          <div className="row">
            <SuccessNotice>{notice}</SuccessNotice>
            <button type="button" className="link" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </div>
        )}
        <div className="row wrap counts-row">
          <CountsBar
            counts={counts.data}
            error={counts.error}
            onRetry={() => void counts.refetch()}
            status={params.lists.status}
            severity={params.lists.severity}
            onFilter={update}
          />
          {newSinceOpened > 0 && (
            <div className="new-since" role="status">
              <strong>{newSinceOpened}</strong> new since you opened
              <button
                type="button"
                className="link"
                onClick={() => {
                  resetNew();
                  update({ sort: 'created', order: 'desc' });
                }}
              >
                Show newest
              </button>
            </div>
          )}
        </div>
        <QueueFilters workspace={workspace} params={params} update={update} clearFilters={clearFilters} />
        <ErrorNotice error={list.error} what="incident list" onRetry={() => void list.refetch()} />
        {list.isPending && !list.error && <Loading label="Loading incidents…" />}
        {list.data && items.length === 0 && (
          <QueueEmpty
            workspace={workspace}
            filtered={filtered}
            onClear={clearFilters}
            onCreate={mayWrite ? () => setCreating(true) : undefined}
          />
        )}
        {items.length > 0 && (
          <div className={list.isPlaceholderData ? 'queue-results stale' : 'queue-results'} aria-busy={list.isFetching}>
            <IncidentTable
              items={items}
              workspace={workspace}
              selected={selected}
              selectable={mayWrite}
              recent={recent}
              sort={params.sort}
              order={params.order}
              onSort={(sort, order) => update({ sort, order })}
              onToggle={toggle}
              onToggleAll={(on) => toggleMany(items, on)}
            />
            <Pager
              pageNumber={pageNumber}
              shown={items.length}
              nextCursor={list.data?.nextCursor ?? null}
              onPrevious={previousPage}
              onNext={nextPage}
              onFirst={firstPage}
            />
          </div>
        )}
      </div>
      {managing && workspace && (
        <ManageIncidentsPane workspace={workspace} incidents={[...selected.values()]} onClose={closeManage} onDone={onBulkDone} />
      )}
      {creating && workspace && (
        <NewIncidentDialog workspace={workspace} onClose={() => setCreating(false)} onCreated={onCreated} />
      )}
    </>
  );
}

/** "Manage incidents (N)": enabled with a selection; otherwise disabled with the reason beside it. */
function ManageButton({
  workspace,
  mayWrite,
  count,
  onClick,
  onClear,
}: {
  workspace: string | null;
  mayWrite: boolean;
  count: number;
  onClick: () => void;
  onClear: () => void;
}) {
  const reason = !workspace
    ? 'Bulk changes are made in one workspace: open its queue to manage incidents.'
    : !mayWrite
      ? 'Your role in this workspace can read incidents but not change them.'
      : count === 0
        ? 'Select incidents with the checkboxes first.'
        : undefined;
  return (
    <div className="row manage">
      {count > 0 && (
        <span className="muted">
          {count} selected ·{' '}
          <button type="button" className="link" onClick={onClear}>
            Clear
          </button>
        </span>
      )}
      <button
        type="button"
        onClick={onClick}
        disabled={Boolean(reason)}
        title={reason}
        aria-describedby={reason ? 'manage-reason' : undefined}
      >
        Manage incidents{count > 0 ? ` (${count})` : ''}
      </button>
      {reason && (
        <span id="manage-reason" className="visually-hidden">
          {reason}
        </span>
      )}
      {!workspace && <span className="muted small-note">Bulk changes: open a workspace's queue</span>}
    </div>
  );
}

/** Nothing to show: says why and what to do. */
function QueueEmpty({
  workspace,
  filtered,
  onClear,
  onCreate,
}: {
  workspace: string | null;
  filtered: boolean;
  onClear: () => void;
  onCreate?: () => void;
}) {
  if (filtered) {
    return (
      <EmptyState title="No incidents match these filters">
        <button type="button" className="link" onClick={onClear}>
          Clear filters
        </button>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No incidents yet">
      <p>
        Send alerts to <code>POST /api/v1/workspaces/{workspace ?? '{ws}'}/alerts</code>
        {onCreate ? (
          <>
            {' '}
            or{' '}
            <button type="button" className="link" onClick={onCreate}>
              create one
            </button>
          </>
        ) : null}
        .
      </p>
    </EmptyState>
  );
}

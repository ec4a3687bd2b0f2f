import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import {
  exportAutomationRules,
  useAutomationRules,
  useDeleteAutomationRule,
  useReorderAutomationRules,
  useUpdateAutomationRule,
  type AutomationRule,
} from '../api/automation-rules.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { useSearchParam } from '../ui/search-params.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { ImportDialog } from './ImportDialog.js';
import { ACTION_LABELS, ACTION_TYPES, TRIGGER_LABELS } from './labels.js';
import { RuleRow } from './RuleRow.js';
import './automation.css';

/** Saves a JSON value as a file the browser downloads. */
function download(name: string, value: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** /automation: the workspace's rules in execution order (Sentinel's Automation blade). */
export function RuleListPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const [params, setFilter, clearFilters] = useSearchParam();
  const trigger = params.get('trigger') ?? '';
  const actionType = params.get('actionType') ?? '';
  const q = params.get('q') ?? '';
  const rules = useAutomationRules(workspace, { trigger, actionType, q });
  const reorder = useReorderAutomationRules(workspace);
  const update = useUpdateAutomationRule(workspace);
  const remove = useDeleteAutomationRule(workspace);
  const [pendingOrder, setPendingOrder] = useState<string[] | null>(null);
  const [deleting, setDeleting] = useState<AutomationRule | null>(null);
  const [importing, setImporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const canWrite = can(me.data, workspace, 'rules.write');
  const filtered = Boolean(trigger || actionType || q);
  const canReorder = canWrite && !filtered;
  const sensors = useSensors(
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const loaded = rules.data?.items ?? [];
  const items = pendingOrder
    ? pendingOrder.map((id) => loaded.find((r) => r.id === id)).filter((r): r is AutomationRule => Boolean(r))
    : loaded;
  const saveOrder = (ids: string[]) => {
    setPendingOrder(ids);
    reorder.mutate(ids, { onSettled: () => setPendingOrder(null) });
  };
  const nameOf = (id: UniqueIdentifier) => items.find((r) => r.id === id)?.name ?? String(id);
  const positionOf = (id: UniqueIdentifier | undefined) => (id === undefined ? 0 : items.findIndex((r) => r.id === id) + 1);
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)} at position ${positionOf(active.id)} of ${items.length}.`,
    onDragOver: ({ active, over }) =>
      over
        ? `${nameOf(active.id)} moved to position ${positionOf(over.id)} of ${items.length}.`
        : `${nameOf(active.id)} is not over a row.`,
    onDragEnd: ({ active, over }) =>
      over
        ? `Dropped ${nameOf(active.id)} at position ${positionOf(over.id)}.`
        : `Dropped ${nameOf(active.id)}; the order is unchanged.`,
    onDragCancel: ({ active }) => `Cancelled moving ${nameOf(active.id)}; the order is unchanged.`,
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const ids = items.map((r) => r.id);
    saveOrder(arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  };
  const exportAs = (format: 'sentinel' | 'vigil') => {
    setExportError(null);
    exportAutomationRules(workspace, format).then(
      (body) => download(`automation-rules-${workspace}-${format}.json`, body),
      setExportError,
    );
  };

  return (
    <>
      <PageHeader title="Automation">
        <button type="button" onClick={() => exportAs('sentinel')} title="Sentinel's REST list shape">
          Export (Sentinel JSON)
        </button>
        <button type="button" onClick={() => exportAs('vigil')} title="Vigil definitions: analytics rules and owners by name">
          Export (Vigil)
        </button>
        {canWrite && (
          <button type="button" onClick={() => setImporting(true)}>
            Import
          </button>
        )}
        {canWrite && (
          <Link className="button primary" to={wsUrl(workspace, '/automation/new')}>
            + Create rule
          </Link>
        )}
      </PageHeader>
      <div className="page-body">
        <div className="toolbar">
          <input
            aria-label="Search rules by name"
            placeholder="Search by name…"
            value={q}
            onChange={(e) => setFilter('q', e.target.value)}
          />
          <select aria-label="Trigger" value={trigger} onChange={(e) => setFilter('trigger', e.target.value)}>
            <option value="">All triggers</option>
            {Object.entries(TRIGGER_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <select aria-label="Action type" value={actionType} onChange={(e) => setFilter('actionType', e.target.value)}>
            <option value="">Any action</option>
            {ACTION_TYPES.map((type) => (
              <option key={type} value={type}>
                {ACTION_LABELS[type].filter}
              </option>
            ))}
          </select>
          {filtered && (
            <button type="button" className="link" onClick={clearFilters}>
              Clear filters
            </button>
          )}
          <span className="spacer" />
          <span className="muted small-text">
            {canReorder
              ? 'Rules run top to bottom. Drag a row (or focus its handle, press Space and the arrow keys) to change the order.'
              : filtered && canWrite
                ? 'Clear the filters to change the order.'
                : ''}
          </span>
        </div>
        <ErrorNotice error={exportError} what="export" />
        <ErrorNotice error={reorder.error} what="rule order" />
        <ErrorNotice error={update.error} what="rule" />
        {rules.isPending && <Loading />}
        <ErrorNotice error={rules.error} onRetry={() => void rules.refetch()} />
        {rules.data && items.length === 0 && (
          <EmptyState title={filtered ? 'No rule matches these filters' : 'No automation rules yet'}>
            {filtered
              ? 'Clear the filters to see every rule.'
              : 'Create a rule to triage incidents as they arrive: add tasks, assign an owner, tag, close noise or run a playbook. Sentinel users can import their rules as JSON.'}
          </EmptyState>
        )}
        {items.length > 0 && (
          <DndContext
            sensors={sensors}
            collisionDetection={closestCenter}
            onDragEnd={onDragEnd}
            accessibility={{
              announcements,
              screenReaderInstructions: {
                draggable:
                  'To change the order, press Space or Enter, move with the arrow keys, then press Space or Enter again to drop, or Escape to cancel.',
              },
            }}
          >
            <SortableContext items={items.map((r) => r.id)} strategy={verticalListSortingStrategy}>
              <div className="table-scroll">
                <table className="grid rule-table">
                  <thead>
                    <tr>
                      <th aria-label="Reorder" />
                      <th>Order</th>
                      <th>Name</th>
                      <th>Trigger</th>
                      <th>Conditions</th>
                      <th>Actions</th>
                      <th>Analytics rules</th>
                      <th>Status</th>
                      <th>Expires</th>
                      <th>Modified</th>
                      <th aria-label="Row actions" />
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((rule, index) => (
                      <RuleRow
                        key={rule.id}
                        workspace={workspace}
                        rule={rule}
                        index={index}
                        count={items.length}
                        canWrite={canWrite}
                        canReorder={canReorder}
                        busy={reorder.isPending || update.isPending}
                        onMove={(by) =>
                          saveOrder(
                            arrayMove(
                              items.map((r) => r.id),
                              index,
                              index + by,
                            ),
                          )
                        }
                        onToggle={(enabled) => update.mutate({ rule, changes: { enabled } })}
                        onDelete={() => setDeleting(rule)}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            </SortableContext>
          </DndContext>
        )}
      </div>
      {importing && <ImportDialog workspace={workspace} onClose={() => setImporting(false)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete automation rule"
          confirmLabel="Delete rule"
          pendingLabel="Delete rule"
          pending={remove.isPending}
          error={remove.error}
          what="rule"
          onClose={() => setDeleting(null)}
          onConfirm={() => remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        >
          <p>
            Delete <strong>{deleting.name}</strong>? It stops running at once. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

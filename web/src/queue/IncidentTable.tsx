import { useEffect, useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import type { QueueIncident } from '../api/incidents.js';
import { IncidentRow } from './IncidentRow.js';
import type { Sort } from './queue-params.js';

const SORTABLE: Partial<Record<string, Sort>> = {
  Number: 'number',
  Severity: 'severity',
  Created: 'created',
  Updated: 'updated',
};

/** The clock for relative times, ticking every 30 seconds. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * Marks the table with when its rows were committed to the DOM (`data-committed-at`) and painted
 * (`data-rendered-at`), both performance.now(), and with `data-rendered-first` (the first row's id). The layout effect runs once React has written the
 * rows into the DOM; requestAnimationFrame fires before the next paint, and a task queued from it
 * runs after that paint, so the mark is the first moment the rows are on screen.
 * The web benchmark (bench/web-queue-bench.ts) reads these marks.
 */
function useRenderedMark(items: QueueIncident[]) {
  const ref = useRef<HTMLTableElement>(null);
  useLayoutEffect(() => {
    const table = ref.current;
    if (!table) return;
    table.dataset.committedAt = String(performance.now());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        table.dataset.renderedAt = String(performance.now());
        table.dataset.renderedFirst = items[0]?.id ?? '';
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [items]);
  return ref;
}

/** The queue's table: a memoised row per incident, sortable column headers, select-all for the page. */
export function IncidentTable({
  items,
  workspace,
  selected,
  selectable,
  recent,
  sort,
  order,
  onSort,
  onToggle,
  onToggleAll,
}: {
  items: QueueIncident[];
  workspace: string | null;
  selected: ReadonlyMap<string, QueueIncident>;
  selectable: boolean;
  recent: ReadonlySet<string>;
  sort: Sort;
  order: 'asc' | 'desc';
  onSort: (sort: Sort, order: 'asc' | 'desc') => void;
  onToggle: (incident: QueueIncident, selected: boolean) => void;
  onToggleAll: (selected: boolean) => void;
}) {
  const now = useNow();
  const navigate = useNavigate();
  // Rows hold plain links; a plain left click opens them inside the app (others: new tab, copy …).
  const openInApp = (event: MouseEvent<HTMLTableSectionElement>) => {
    const link = (event.target as HTMLElement).closest('a');
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(link.getAttribute('href')!);
  };
  const ref = useRenderedMark(items);
  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id));
  const someSelected = !allSelected && items.some((i) => selected.has(i.id));
  const header = (label: string, className?: string) => {
    const key = SORTABLE[label];
    if (!key)
      return (
        <th key={label} className={className} scope="col">
          {label}
        </th>
      );
    const active = sort === key;
    return (
      <th
        key={label}
        className={className}
        scope="col"
        aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        <button
          type="button"
          className="sort-header"
          onClick={() => onSort(key, active && order === 'desc' ? 'asc' : 'desc')}
          title={`Sort by ${label.toLowerCase()}`}
        >
          {label}
          <span aria-hidden="true">{active ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };
  return (
    <div className="table-scroll">
      <table className="grid queue-table" ref={ref} aria-label="Incidents">
        <colgroup>
          {selectable && <col className="col-select" />}
          <col className="col-number" />
          {!workspace && <col className="col-workspace" />}
          <col className="col-title" />
          <col className="col-severity" />
          <col className="col-status" />
          <col className="col-owner" />
          <col className="col-tags" />
          <col className="col-count" />
          <col className="col-count" />
          <col className="col-product" />
          <col className="col-time" />
          <col className="col-time" />
        </colgroup>
        <thead>
          <tr>
            {selectable && (
              <th className="select" scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all incidents on this page"
                  checked={allSelected}
                  ref={(input) => {
                    if (input) input.indeterminate = someSelected;
                  }}
                  onChange={(e) => onToggleAll(e.target.checked)}
                />
              </th>
            )}
            {header('Number', 'num')}
            {!workspace && header('Workspace')}
            {header('Title')}
            {header('Severity')}
            {header('Status')}
            {header('Owner')}
            {header('Tags')}
            {header('Alerts', 'num')}
            {header('Tasks', 'num')}
            {header('Product')}
            {header('Created')}
            {header('Updated')}
          </tr>
        </thead>
        <tbody onClick={openInApp}>
          {items.map((incident) => (
            <IncidentRow
              key={incident.id}
              incident={incident}
              workspace={workspace}
              selected={selected.has(incident.id)}
              selectable={selectable}
              recent={recent.has(incident.id)}
              now={now}
              onToggle={onToggle}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

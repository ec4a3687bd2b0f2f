import { useEffect, useRef, useState } from 'react';
import { CLASSIFICATIONS, INCIDENT_STATUSES, SEVERITIES } from '../../../src/common/enums.js';
import { useWorkspaces } from '../app/workspace.js';
import { words } from '../ui/format.js';
import { CheckboxList, FilterMenu, summarize } from './FilterMenu.js';
import { GlobalOwnerFilter, WorkspaceOwnerFilter } from './OwnerFilter.js';
import { activeFilterCount, SORTS, type ListFilter, type QueueParamChange, type QueueParams, type Sort } from './queue-params.js';
import { RuleFilter } from './RuleFilter.js';
import { GlobalTagFilter, ProductFilter, WorkspaceTagFilter } from './TagFilter.js';
import { TimeFilter } from './TimeFilter.js';

const choices = (values: readonly string[]) => values.map((value) => ({ value, label: words(value) }));

/** The queue's filter bar: text search, a menu per filter, the sort, and Clear filters. */
export function QueueFilters({
  workspace,
  params,
  update,
  clearFilters,
}: {
  /** null for the cross-workspace queue. */
  workspace: string | null;
  params: QueueParams;
  update: (change: QueueParamChange) => void;
  clearFilters: () => void;
}) {
  const set = (name: ListFilter) => (values: string[]) => update({ [name]: values });
  const lists = params.lists;
  return (
    <div className="queue-filters" role="search" aria-label="Filter incidents">
      <SearchBox value={params.q} onSearch={(q) => update({ q })} />
      <FilterMenu label="Status" summary={summarize(lists.status)} active={lists.status.length > 0}>
        <CheckboxList choices={choices(INCIDENT_STATUSES)} selected={lists.status} onChange={set('status')} />
      </FilterMenu>
      <FilterMenu label="Severity" summary={summarize(lists.severity)} active={lists.severity.length > 0}>
        <CheckboxList choices={choices(SEVERITIES)} selected={lists.severity} onChange={set('severity')} />
      </FilterMenu>
      {workspace ? (
        <WorkspaceOwnerFilter workspace={workspace} selected={lists.owner} onChange={set('owner')} />
      ) : (
        <GlobalOwnerFilter selected={lists.owner} onChange={set('owner')} />
      )}
      {workspace ? (
        <WorkspaceTagFilter workspace={workspace} selected={lists.tag} onChange={set('tag')} />
      ) : (
        <GlobalTagFilter selected={lists.tag} onChange={set('tag')} />
      )}
      <FilterMenu
        label="Classification"
        summary={summarize(lists.classification, words)}
        active={lists.classification.length > 0}
      >
        <CheckboxList choices={choices(CLASSIFICATIONS)} selected={lists.classification} onChange={set('classification')} />
      </FilterMenu>
      <ProductFilter selected={lists.product} onChange={set('product')} />
      {workspace ? (
        <RuleFilter workspace={workspace} selected={lists.analyticsRule} onChange={set('analyticsRule')} />
      ) : (
        <WorkspaceFilter selected={lists.workspace} onChange={set('workspace')} />
      )}
      <TimeFilter from={params.createdFrom} to={params.createdTo} onChange={(range) => update(range)} />
      <SortControl sort={params.sort} order={params.order} onChange={(sort, order) => update({ sort, order })} />
      {activeFilterCount(params) > 0 && (
        <button type="button" className="link" onClick={clearFilters}>
          Clear filters ({activeFilterCount(params)})
        </button>
      )}
    </div>
  );
}

/** Text search: applied as you type (after a short pause) or on Enter. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const search = useRef(onSearch);
  search.current = onSearch;
  // Follow the URL when it changes from outside (Back, Clear filters, a shared link).
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value.trim()) return;
    const timer = setTimeout(() => search.current(text.trim()), 400);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <input
      type="search"
      className="queue-search"
      aria-label="Search incidents"
      placeholder="Search title and description"
      title="Each word matches the start of a word. Words joined by punctuation match in that order: 10.0.0.1, host-1234, evil.example.com."
      value={text}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onSearch(text.trim());
      }}
    />
  );
}

/** Cross-workspace queue: only some workspaces. */
function WorkspaceFilter({ selected, onChange }: { selected: string[]; onChange: (selected: string[]) => void }) {
  const workspaces = useWorkspaces();
  const name = (id: string) => workspaces.find((w) => w.id === id)?.name ?? id;
  return (
    <FilterMenu label="Workspace" summary={summarize(selected, name)} active={selected.length > 0}>
      <CheckboxList choices={workspaces.map((w) => ({ value: w.id, label: w.name }))} selected={selected} onChange={onChange} />
    </FilterMenu>
  );
}

/** Sort field and direction. */
function SortControl({
  sort,
  order,
  onChange,
}: {
  sort: Sort;
  order: 'asc' | 'desc';
  onChange: (sort: Sort, order: 'asc' | 'desc') => void;
}) {
  return (
    <div className="row sort-control">
      <label className="row">
        <span className="muted">Sort by</span>
        <select value={sort} onChange={(e) => onChange(e.target.value as Sort, order)}>
          {Object.entries(SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="small"
        aria-label={order === 'desc' ? 'Descending order: switch to ascending' : 'Ascending order: switch to descending'}
        title={order === 'desc' ? 'Descending' : 'Ascending'}
        onClick={() => onChange(sort, order === 'desc' ? 'asc' : 'desc')}
      >
        {order === 'desc' ? '↓ Desc' : '↑ Asc'}
      </button>
    </div>
  );
}

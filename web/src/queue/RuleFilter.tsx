import { useState } from 'react';
import { useAnalyticsRuleList } from '../api/analytics-rules.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';
import { CheckboxList, FilterMenu, summarize } from './FilterMenu.js';

/** Analytics rule filter: incidents with an alert from any of the chosen rules (by id; shown by name). */
export function RuleFilter({
  workspace,
  selected,
  onChange,
}: {
  workspace: string;
  selected: string[];
  onChange: (selected: string[]) => void;
}) {
  const [text, setText] = useState('');
  const rules = useAnalyticsRuleList(workspace);
  const items = rules.data?.items ?? [];
  const name = (id: string) => items.find((r) => r.id === id)?.name ?? id;
  const shown = items.filter((r) => selected.includes(r.id) || r.name.toLowerCase().includes(text.trim().toLowerCase()));
  return (
    <FilterMenu label="Analytics rule" summary={summarize(selected, name)} active={selected.length > 0} wide>
      {rules.isPending && <Loading label="Loading analytics rules…" />}
      <ErrorNotice error={rules.error} what="analytics rule list" onRetry={() => void rules.refetch()} />
      {rules.data && items.length === 0 && <span className="muted">This workspace has no analytics rules yet.</span>}
      {items.length > 8 && (
        <input
          aria-label="Find an analytics rule"
          placeholder="Find a rule"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      )}
      <div className="scroll-list">
        <CheckboxList choices={shown.map((r) => ({ value: r.id, label: r.name }))} selected={selected} onChange={onChange} />
      </div>
    </FilterMenu>
  );
}

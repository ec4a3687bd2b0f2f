import { useState } from 'react';
import { useAnalyticsRuleMatches } from '../api/analytics-rules.js';
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
  const rules = useAnalyticsRuleMatches(workspace, text);
  const items = rules.all.data?.items ?? [];
  const name = (id: string) => items.find((r) => r.id === id)?.name ?? rules.items.find((r) => r.id === id)?.name ?? id;
  const chosen = items.filter((r) => selected.includes(r.id) && !rules.items.some((m) => m.id === r.id));
  const shown = [...chosen, ...rules.items];
  return (
    <FilterMenu label="Analytics rule" summary={summarize(selected, name)} active={selected.length > 0} wide>
      {rules.isPending && <Loading label="Loading analytics rules…" />}
      <ErrorNotice error={rules.error} what="analytics rule list" onRetry={() => void rules.all.refetch()} />
      {rules.all.data && items.length === 0 && <span className="muted">This workspace has no analytics rules yet.</span>}
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

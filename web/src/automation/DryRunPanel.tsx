import { Link } from 'react-router-dom';
import { useDryRun } from '../api/automation-rules.js';
import { wsUrl } from '../app/workspace.js';
import { ErrorNotice, EmptyState, Loading } from '../ui/feedback.js';
import { words } from '../ui/format.js';
import { toRuleInput, type RuleDraft } from './draft.js';

const shown = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(shown).join(', ') || '—';
  if (typeof value === 'object') {
    const v = value as { name?: string; id?: string };
    return v.name ?? v.id ?? JSON.stringify(value);
  }
  return String(value);
};

/** Tries the draft on the workspace's newest incidents: which it would match and what it would change. Nothing is saved. */
export function DryRunPanel({ workspace, draft }: { workspace: string; draft: RuleDraft }) {
  const dryRun = useDryRun(workspace);
  const result = dryRun.data;
  return (
    <section className="card dry-run" aria-label="Dry run">
      <div className="row">
        <h2 style={{ margin: 0 }}>Dry run</h2>
        <span className="spacer" />
        <button type="button" className="small" disabled={dryRun.isPending} onClick={() => dryRun.mutate(toRuleInput(draft))}>
          {result ? 'Run again' : 'Try on existing incidents'}
        </button>
      </div>
      <p className="muted small-text">
        Tries this draft on the 200 newest incidents, with the engine that runs rules live. Nothing is changed or saved.
      </p>
      {dryRun.isPending && <Loading label="Trying the rule…" />}
      <ErrorNotice error={dryRun.error} what="rule" />
      {result && !dryRun.isPending && (
        <>
          <p role="status">
            <strong>{result.matched}</strong> of {result.evaluated} incidents match.
          </p>
          {result.items.length === 0 ? (
            <EmptyState title="No incident matches">
              Loosen the conditions or the analytics-rule scope, then try again.
            </EmptyState>
          ) : (
            <ul className="dry-run-items">
              {result.items.map((item) => (
                <li key={item.incident.id}>
                  <Link to={wsUrl(workspace, `/incidents/${item.incident.number}`)}>
                    #{item.incident.number} {item.incident.title}
                  </Link>
                  <ul>
                    {item.changes.map((c, i) => (
                      <li key={`c${i}`}>
                        {words(c.field)}: {shown(c.from)} → <strong>{shown(c.to)}</strong>
                      </li>
                    ))}
                    {item.tasks.map((t, i) => (
                      <li key={`t${i}`}>Adds task: {t.title}</li>
                    ))}
                    {item.playbooks.map((p, i) => (
                      <li key={`p${i}`}>Runs playbook: {p}</li>
                    ))}
                    {item.changes.length + item.tasks.length + item.playbooks.length === 0 && (
                      <li className="muted">Matches, but would change nothing (already as the actions set it).</li>
                    )}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

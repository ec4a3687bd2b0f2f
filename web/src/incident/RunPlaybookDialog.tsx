import { useState } from 'react';
import { Link } from 'react-router-dom';
import { usePlaybookRunForm, useRunPlaybookOnIncident, type PlaybookInputDeclaration } from '../api/incident-runs.js';
import { usePlaybookList } from '../api/playbooks.js';
import { wsUrl } from '../app/workspace.js';
import { Dialog } from '../ui/Dialog.js';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../ui/feedback.js';
import { fieldError } from '../ui/errors.js';

/** Turns what was typed for an input into the value its declared type needs (or an error). */
function parseInput(declaration: PlaybookInputDeclaration, raw: string | boolean): { value?: unknown; error?: string } {
  if (declaration.type === 'boolean') return { value: raw === true };
  const text = String(raw).trim();
  if (text === '') return {};
  if (declaration.type === 'string') return { value: String(raw) };
  if (declaration.type === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? { value: n } : { error: 'must be a number' };
  }
  try {
    const value: unknown = JSON.parse(text);
    const ok =
      declaration.type === 'array' ? Array.isArray(value) : typeof value === 'object' && value !== null && !Array.isArray(value);
    return ok ? { value } : { error: `must be a JSON ${declaration.type}` };
  } catch {
    return { error: `must be JSON (${declaration.type})` };
  }
}

/**
 * "Run playbook": the enabled playbooks that run on incidents (incident or manual trigger), the
 * inputs the chosen one declares, then the new run with a link to follow it.
 */
export function RunPlaybookDialog({ workspace, number, onClose }: { workspace: string; number: number; onClose: () => void }) {
  const list = usePlaybookList(workspace, { enabled: 'true', trigger: ['incident', 'manual'] });
  const [chosen, setChosen] = useState<string | null>(null);
  const form = usePlaybookRunForm(workspace, chosen);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const run = useRunPlaybookOnIncident(workspace, number);
  const inputs = Object.entries(form.data?.inputs ?? {});
  const parsed = inputs.map(([name, declaration]) => ({ name, declaration, ...parseInput(declaration, values[name] ?? '') }));
  const inputErrors = parsed.filter(
    (p) => p.error || (p.declaration.required && p.value === undefined && p.declaration.default === undefined),
  );
  const canRun = chosen !== null && form.data?.runsOnIncidents === true && inputErrors.length === 0 && !run.isPending;

  if (run.data) {
    return (
      <Dialog title="Run playbook" onClose={onClose}>
        <SuccessNotice>
          {run.data.playbook.name} started on incident #{number} ({run.data.status}).
        </SuccessNotice>
        <div className="row">
          <Link to={wsUrl(workspace, `/runs/${run.data.id}`)}>Follow the run</Link>
          <span className="spacer" />
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }
  const playbooks = list.data?.items ?? [];
  return (
    <Dialog title="Run playbook" onClose={onClose}>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          if (!canRun || !chosen) return;
          const given = Object.fromEntries(parsed.filter((p) => p.value !== undefined).map((p) => [p.name, p.value]));
          run.mutate({ playbook: chosen, inputs: given });
        }}
      >
        {list.isPending && <Loading label="Loading playbooks…" />}
        <ErrorNotice error={list.error} what="playbook list" onRetry={() => void list.refetch()} />
        {list.data && playbooks.length === 0 && (
          <EmptyState title="No playbook can run on this incident">
            Enable a playbook with an incident or manual trigger under Playbooks, then run it here.
          </EmptyState>
        )}
        {playbooks.length > 0 && (
          <fieldset>
            <legend>Playbook</legend>
            <div className="playbook-choices">
              {playbooks.map((p) => (
                <label key={p.id} className={`choice ${chosen === p.id ? 'chosen' : ''}`}>
                  <input
                    type="radio"
                    name="playbook"
                    value={p.id}
                    checked={chosen === p.id}
                    onChange={() => {
                      setChosen(p.id);
                      setValues({});
                      run.reset();
                    }}
                  />
                  <span>
                    <strong>{p.name}</strong>
                    <span className="muted">
                      {p.trigger === 'incident' ? 'Incident trigger' : 'Manual trigger'}
                      {p.description ? ` — ${p.description}` : ''}
                    </span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {chosen && form.isPending && <Loading label="Reading the playbook…" />}
        <ErrorNotice error={form.error} what="playbook" />
        {form.data && !form.data.runsOnIncidents && (
          <div className="notice info">This playbook runs on alerts or entities only, so it cannot run on an incident.</div>
        )}
        {form.data?.runsOnIncidents &&
          parsed.map(({ name, declaration, error }) => (
            <label key={name} className={declaration.type === 'boolean' ? 'row' : 'field'}>
              {declaration.type === 'boolean' ? (
                <input
                  type="checkbox"
                  checked={values[name] === true}
                  onChange={(event) => setValues({ ...values, [name]: event.target.checked })}
                />
              ) : null}
              <span>
                {name}
                {declaration.required && declaration.default === undefined ? ' (required)' : ''}
              </span>
              {declaration.type !== 'boolean' && (
                <input
                  value={String(values[name] ?? '')}
                  placeholder={
                    declaration.default !== undefined ? `Default: ${JSON.stringify(declaration.default)}` : declaration.type
                  }
                  onChange={(event) => setValues({ ...values, [name]: event.target.value })}
                />
              )}
              {declaration.description && <span className="hint">{declaration.description}</span>}
              {(error ?? fieldError(run.error, `inputs.${name}`)) && (
                <span className="field-error">{error ?? fieldError(run.error, `inputs.${name}`)}</span>
              )}
            </label>
          ))}
        <ErrorNotice error={run.error} what="playbook run" />
        <div className="row">
          {chosen === null && playbooks.length > 0 && <span className="muted">Choose a playbook to run.</span>}
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!canRun}>
            {run.isPending ? 'Starting…' : 'Run'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

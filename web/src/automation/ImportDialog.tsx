import { useState } from 'react';
import { useImportAutomationRules, type ImportProblem } from '../api/automation-rules.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/feedback.js';

function ProblemList({ title, items }: { title: string; items: ImportProblem[] }) {
  if (items.length === 0) return null;
  return (
    <div>
      <strong className="small-text">{title}</strong>
      <ul className="small-text">
        {items.map((p, i) => (
          <li key={i}>
            <code>{p.path}</code>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Uploads a Sentinel (or Vigil) JSON document of automation rules and shows what was created, updated or skipped, and why. */
export function ImportDialog({ workspace, onClose }: { workspace: string; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'create' | 'upsert'>('create');
  const [parseError, setParseError] = useState<string | null>(null);
  const importRules = useImportAutomationRules(workspace);
  const report = importRules.data;
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setParseError(null);
    let document: unknown;
    try {
      document = JSON.parse(await file.text());
    } catch (error) {
      setParseError(`${file.name} is not valid JSON: ${(error as Error).message}`);
      return;
    }
    importRules.mutate({ document, mode });
  };
  return (
    <Dialog title="Import automation rules" onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="muted small-text">
          Sentinel's JSON: a rule as the REST API returns it, a list (<code>{'{ value: [...] }'}</code>), a REST example file, an
          ARM template, or a Vigil export. Template parameters take their defaults.
        </p>
        <label className="field">
          JSON file
          <input type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label className="field">
          Rules whose name already exists
          <select value={mode} onChange={(e) => setMode(e.target.value as 'create' | 'upsert')}>
            <option value="create">Skip them</option>
            <option value="upsert">Update them</option>
          </select>
        </label>
        {parseError && (
          <p className="notice error" role="alert">
            {parseError}
          </p>
        )}
        <ErrorNotice error={importRules.error} what="import" />
        {report && (
          <div className="import-report" role="status">
            <p>
              <strong>
                {report.created} created, {report.updated} updated, {report.skipped} skipped.
              </strong>
            </p>
            <ProblemList title="About the document" items={report.warnings} />
            <ul className="stack">
              {report.rules.map((r, i) => (
                <li key={i}>
                  <span className={`badge ${r.outcome === 'skipped' ? 'bad' : 'ok'}`}>{r.outcome}</span> {r.name ?? r.source}
                  {r.rule && !r.rule.enabled && <span className="badge warn">imported disabled</span>}
                  {r.reason && <div className="small-text">{r.reason}</div>}
                  <ProblemList title="Not representable in Vigil" items={r.notRepresentable} />
                  <ProblemList title="Notes" items={r.notes} />
                  <ProblemList title="Unresolved template expressions" items={r.unresolved} />
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            {report ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="primary" disabled={!file || importRules.isPending}>
            {importRules.isPending ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

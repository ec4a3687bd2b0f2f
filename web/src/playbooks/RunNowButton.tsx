import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useStartRun, type PlaybookDetail } from '../api/playbooks.js';
import { can, useMe } from '../api/session.js';
import { wsUrl } from '../app/workspace.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/feedback.js';

function targetsOf(playbook: PlaybookDetail): string[] {
  const trigger = playbook.definition.trigger;
  if (playbook.trigger === 'incident') return ['incident'];
  if (playbook.trigger === 'alert') return ['alert'];
  if (typeof trigger === 'object' && trigger && Array.isArray((trigger as { targets?: unknown }).targets)) {
    return (trigger as { targets: string[] }).targets;
  }
  return [];
}

/** "Run now": asks for the incident or alert when the playbook acts on one, and the inputs; opens the new run. */
export function RunNowButton({ workspace, playbook }: { workspace: string; playbook: PlaybookDetail }) {
  const me = useMe();
  const start = useStartRun(workspace);
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const targets = targetsOf(playbook);
  const declaredInputs = Object.keys((playbook.definition.inputs as Record<string, unknown> | undefined) ?? {});
  const [target, setTarget] = useState('');
  const [inputs, setInputs] = useState(
    declaredInputs.length ? JSON.stringify(Object.fromEntries(declaredInputs.map((k) => [k, ''])), null, 2) : '{}',
  );
  const [inputError, setInputError] = useState<string | null>(null);
  if (!can(me.data, workspace, 'playbooks.run')) return null;
  const targetKind = targets.includes('incident') ? 'incident' : targets.includes('alert') ? 'alert' : null;
  const needsTarget = playbook.trigger === 'incident' || playbook.trigger === 'alert';
  const submit = () => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(inputs || '{}') as Record<string, unknown>;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    } catch {
      return setInputError('Inputs must be a JSON object, e.g. { "user": "alice@example.com" }');
    }
    setInputError(null);
    const on = target.trim();
    const body =
      targetKind === 'incident' && on
        ? { incident: /^\d+$/.test(on) ? Number(on) : on }
        : targetKind === 'alert' && on
          ? { alert: on }
          : {};
    start.mutate(
      { playbook: playbook.id, ...body, inputs: parsed },
      { onSuccess: (run) => navigate(wsUrl(workspace, `/runs/${run.id}`)) },
    );
  };
  return (
    <>
      <button
        type="button"
        className="primary"
        disabled={!playbook.enabled}
        title={playbook.enabled ? undefined : 'Enable the playbook to run it'}
        onClick={() => setOpen(true)}
      >
        ▶ Run now
      </button>
      {open && (
        <Dialog title={`Run ${playbook.name}`} onClose={() => setOpen(false)}>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            {targetKind && (
              <label className="field">
                {targetKind === 'incident' ? 'Incident number' : 'Alert id'}
                {!needsTarget && <span className="hint">Optional: leave empty to run on nothing.</span>}
                <input value={target} required={needsTarget} onChange={(e) => setTarget(e.target.value)} />
              </label>
            )}
            <label className="field">
              Inputs (JSON)
              <span className="hint">
                {declaredInputs.length
                  ? `This playbook takes: ${declaredInputs.join(', ')}.`
                  : 'This playbook declares no inputs.'}
              </span>
              <textarea className="mono" rows={5} value={inputs} onChange={(e) => setInputs(e.target.value)} />
            </label>
            {inputError && <div className="field-error">{inputError}</div>}
            <ErrorNotice error={start.error} what="playbook" />
            <div className="row">
              <span className="spacer" />
              <button type="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" className="primary" disabled={start.isPending}>
                Start run
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </>
  );
}

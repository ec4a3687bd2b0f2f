import { useState, type FormEvent } from 'react';
import { SEVERITIES } from '../../../src/common/enums.js';
import { LIMITS } from '../../../src/common/limits.js';
import { useCreateIncident } from '../api/incidents.js';
import type { Incident, Severity } from '../api/types.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/feedback.js';
import { fieldError } from '../ui/errors.js';

/** "New incident": title, description and severity; calls `onCreated` with the new incident. */
export function NewIncidentDialog({
  workspace,
  onClose,
  onCreated,
}: {
  workspace: string;
  onClose: () => void;
  onCreated: (incident: Incident) => void;
}) {
  const create = useCreateIncident(workspace);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<Severity>('Medium');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ title: title.trim(), description, severity }, { onSuccess: onCreated });
  };
  const titleError = fieldError(create.error, 'title');
  return (
    <Dialog title="New incident" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label className="field">
          Title
          <input
            required
            maxLength={LIMITS.titleLength}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-invalid={Boolean(titleError)}
            autoFocus
          />
          {titleError && <span className="field-error">{titleError}</span>}
        </label>
        <label className="field">
          Description
          <span className="hint">Markdown; what happened and what is known so far.</span>
          <textarea
            rows={5}
            maxLength={LIMITS.descriptionLength}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <label className="field">
          Severity
          <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <ErrorNotice error={create.error} what="incident" />
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={create.isPending || !title.trim()}>
            {create.isPending ? 'Creating…' : 'Create incident'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

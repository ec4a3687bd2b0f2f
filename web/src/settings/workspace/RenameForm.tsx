import { useState, type FormEvent } from 'react';
import { useUpdateWorkspace, type Workspace } from '../../api/workspaces.js';
import { Badge } from '../../ui/badges.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice, SuccessNotice } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';

/** The workspace's id, state and name (renamed with If-Match). */
export function RenameForm({ workspace, canEdit }: { workspace: Workspace; canEdit: boolean }) {
  const [name, setName] = useState(workspace.name);
  const [saved, setSaved] = useState(false);
  const update = useUpdateWorkspace(workspace.id);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ etag: workspace.etag, name }, { onSuccess: () => setSaved(true) });
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="ws-general-title">
      <div className="row">
        <h2 id="ws-general-title" style={{ margin: 0 }}>
          General
        </h2>
        {workspace.archived ? <Badge tone="warn">Archived: read-only</Badge> : <Badge tone="ok">Active</Badge>}
      </div>
      <div className="row wrap" style={{ alignItems: 'flex-end', gap: 16 }}>
        <label className="field">
          Id
          <input value={workspace.id} readOnly aria-readonly="true" style={{ width: 200 }} />
        </label>
        <label className="field" style={{ flex: 1, maxWidth: 420 }}>
          Name
          <input
            value={name}
            required
            maxLength={200}
            disabled={!canEdit}
            onChange={(e) => {
              setName(e.target.value);
              setSaved(false);
            }}
          />
          {fieldError(update.error, 'name') && <span className="field-error">{fieldError(update.error, 'name')}</span>}
        </label>
        {canEdit && (
          <button type="submit" className="primary" disabled={update.isPending || !name.trim() || name === workspace.name}>
            Rename
          </button>
        )}
      </div>
      <span className="muted">
        Created {formatTime(workspace.createdAt)} · changed {formatTime(workspace.updatedAt)}
      </span>
      <ErrorNotice error={update.error} what="workspace" />
      {saved && <SuccessNotice>Workspace renamed.</SuccessNotice>}
    </form>
  );
}

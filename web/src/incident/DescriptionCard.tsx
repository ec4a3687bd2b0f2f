import { useState } from 'react';
import { LIMITS } from '../../../src/common/limits.js';
import { useUpdateIncident } from '../api/incidents.js';
import type { Incident } from '../api/types.js';
import { Markdown } from './markdown.js';
import { UpdateError } from './UpdateError.js';

/** The incident's description (markdown, rendered safely), editable by those who may change the incident. */
export function DescriptionCard({ workspace, incident, canEdit }: { workspace: string; incident: Incident; canEdit: boolean }) {
  const update = useUpdateIncident(workspace);
  const [draft, setDraft] = useState<string | null>(null);
  const description = incident.description;
  const cancel = () => {
    update.reset();
    setDraft(null);
  };
  return (
    <section className="card" aria-labelledby="description-heading">
      <div className="row card-head">
        <h2 id="description-heading">Description</h2>
        <span className="spacer" />
        {canEdit && draft === null && (
          <button type="button" className="small" onClick={() => setDraft(description)}>
            Edit description
          </button>
        )}
      </div>
      {draft === null ? (
        description.trim() ? (
          <Markdown text={description} className="description" />
        ) : (
          <p className="muted">No description. {canEdit ? 'Use Edit description to say what this incident is about.' : ''}</p>
        )
      ) : (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate({ incident, changes: { description: draft } }, { onSuccess: () => setDraft(null) });
          }}
        >
          <label className="field">
            <span className="visually-hidden">Description</span>
            <textarea
              rows={6}
              value={draft}
              maxLength={LIMITS.descriptionLength}
              autoFocus
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') cancel();
              }}
            />
            <span className="hint">
              Markdown: **bold**, *italic*, `code`, [links](https://…). {draft.length.toLocaleString()} /{' '}
              {LIMITS.descriptionLength.toLocaleString()}
            </span>
          </label>
          <UpdateError error={update.error} workspace={workspace} number={incident.number} onDismiss={cancel} />
          <div className="row">
            <span className="spacer" />
            <button type="button" onClick={cancel}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={update.isPending}>
              {update.isPending ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

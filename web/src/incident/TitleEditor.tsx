import { useState } from 'react';
import { LIMITS } from '../../../src/common/limits.js';

/**
 * The incident's title: click it (or Edit) to change it; Enter saves, Escape cancels.
 * Read-only callers see the title and why they cannot edit it.
 */
export function TitleEditor({
  number,
  title,
  canEdit,
  readOnlyReason,
  saving,
  onSave,
}: {
  number: number;
  title: string;
  canEdit: boolean;
  readOnlyReason: string;
  saving: boolean;
  onSave: (title: string, done: () => void) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null) {
    return (
      <div className="incident-title row">
        <h1>
          <span className="incident-number">#{number}</span>{' '}
          {canEdit ? (
            <span className="title-text editable" onClick={() => setDraft(title)} title="Click to edit the title">
              {title}
            </span>
          ) : (
            <span className="title-text">{title}</span>
          )}
        </h1>
        <button
          type="button"
          className="small"
          onClick={() => setDraft(title)}
          disabled={!canEdit}
          aria-label="Edit title"
          title={canEdit ? 'Edit the title' : readOnlyReason}
        >
          Edit
        </button>
      </div>
    );
  }
  const trimmed = draft.trim();
  const save = () => {
    if (!trimmed || trimmed === title) return setDraft(null);
    onSave(trimmed, () => setDraft(null));
  };
  return (
    <form
      className="incident-title row"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <span className="incident-number h1-size">#{number}</span>
      <input
        className="title-input"
        aria-label="Title"
        value={draft}
        maxLength={LIMITS.titleLength}
        autoFocus
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            setDraft(null);
          }
        }}
      />
      <button type="submit" className="primary small" disabled={saving || !trimmed}>
        Save
      </button>
      <button type="button" className="small" onClick={() => setDraft(null)}>
        Cancel
      </button>
    </form>
  );
}

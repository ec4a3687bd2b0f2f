import { useState } from 'react';
import { TASK_LIMITS } from '../../../src/tasks/task-schemas.js';
import { ErrorNotice } from '../ui/feedback.js';
import { fieldError } from '../ui/errors.js';

/** A task's title (≤ 150) and description (≤ 3,000) with Save and Cancel: for adding and editing. */
export function TaskForm({
  initial = { title: '', description: '' },
  saving,
  error,
  onSave,
  onCancel,
}: {
  initial?: { title: string; description: string };
  saving: boolean;
  error: unknown;
  onSave: (input: { title: string; description: string }) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(initial.title);
  const [description, setDescription] = useState(initial.description);
  const trimmed = title.trim();
  return (
    <form
      className="task-form stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (trimmed) onSave({ title: trimmed, description });
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <label className="field">
        Task title
        <input value={title} maxLength={TASK_LIMITS.titleLength} autoFocus onChange={(event) => setTitle(event.target.value)} />
        <span className="hint">
          {title.length} / {TASK_LIMITS.titleLength}
        </span>
        {fieldError(error, 'title') && <span className="field-error">{fieldError(error, 'title')}</span>}
      </label>
      <label className="field">
        Task description
        <textarea
          rows={3}
          value={description}
          maxLength={TASK_LIMITS.descriptionLength}
          onChange={(event) => setDescription(event.target.value)}
        />
        <span className="hint">
          Optional, markdown. {description.length.toLocaleString()} / {TASK_LIMITS.descriptionLength.toLocaleString()}
        </span>
      </label>
      {error && !fieldError(error, 'title') ? <ErrorNotice error={error} what="task" /> : null}
      <div className="row">
        <span className="spacer" />
        <button type="button" className="small" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="primary small"
          disabled={saving || !trimmed}
          title={trimmed ? undefined : 'Give the task a title'}
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

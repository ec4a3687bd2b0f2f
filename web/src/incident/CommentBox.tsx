import { useState } from 'react';
import { LIMITS } from '../../../src/common/limits.js';
import { ErrorNotice } from '../ui/feedback.js';
import { Markdown } from './markdown.js';

/**
 * A markdown comment editor: Write / Preview, the 30,000-character limit, Ctrl+Enter (or ⌘+Enter)
 * to submit. Used to add a comment and to edit one.
 */
export function CommentBox({
  label,
  initial = '',
  submitLabel,
  saving,
  error,
  onSubmit,
  onCancel,
}: {
  label: string;
  initial?: string;
  submitLabel: string;
  saving: boolean;
  error: unknown;
  onSubmit: (message: string, clear: () => void) => void;
  onCancel?: () => void;
}) {
  const [text, setText] = useState(initial);
  const [preview, setPreview] = useState(false);
  const tooLong = text.length > LIMITS.commentLength;
  const empty = text.trim().length === 0;
  const submit = () => {
    if (!empty && !tooLong && !saving) onSubmit(text, () => setText(''));
  };
  return (
    <form
      className="comment-box"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="comment-tabs row" role="group" aria-label={`${label}: write or preview`}>
        <button
          type="button"
          className={!preview ? 'tab active' : 'tab'}
          aria-pressed={!preview}
          onClick={() => setPreview(false)}
        >
          Write
        </button>
        <button type="button" className={preview ? 'tab active' : 'tab'} aria-pressed={preview} onClick={() => setPreview(true)}>
          Preview
        </button>
        <span className="spacer" />
        <span className={tooLong ? 'field-error' : 'muted counter'} aria-live="polite">
          {text.length.toLocaleString()} / {LIMITS.commentLength.toLocaleString()}
          {tooLong && ' — too long, shorten it to post'}
        </span>
      </div>
      {preview ? (
        <div className="comment-preview" aria-label={`${label} preview`}>
          {empty ? <p className="muted">Nothing to preview yet.</p> : <Markdown text={text} />}
        </div>
      ) : (
        <textarea
          aria-label={label}
          rows={4}
          value={text}
          autoFocus={Boolean(onCancel)}
          placeholder="Write a comment. Markdown: **bold**, *italic*, `code`, [link](https://…), ![image](https://…), - lists"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              submit();
            } else if (event.key === 'Escape' && onCancel) {
              event.preventDefault();
              onCancel();
            }
          }}
        />
      )}
      <ErrorNotice error={error} what="comment" />
      <div className="row">
        <span className="muted small-text">Ctrl+Enter to {submitLabel.toLowerCase()}</span>
        <span className="spacer" />
        {onCancel && (
          <button type="button" className="small" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button
          type="submit"
          className="primary small"
          disabled={empty || tooLong || saving}
          title={
            empty ? 'Write something first' : tooLong ? `At most ${LIMITS.commentLength.toLocaleString()} characters` : undefined
          }
        >
          {saving ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

/** What someone typed to change a password: the current one, the new one and its repetition. */
export interface PasswordDraft {
  current: string;
  next: string;
  repeat: string;
}

/** A password draft with nothing typed yet. */
export const EMPTY_PASSWORD_DRAFT: PasswordDraft = { current: '', next: '', repeat: '' };

/** Whether the repeated new password was typed and differs from the new one. */
export function passwordsDiffer(draft: PasswordDraft): boolean {
  return draft.repeat !== '' && draft.next !== draft.repeat;
}

/** The current / new / repeat password fields, with "The two passwords differ" under the repeat. */
export function NewPasswordFields({
  currentLabel,
  value,
  onChange,
}: {
  /** The first field's label, e.g. "Current password" or "One-time password". */
  currentLabel: string;
  value: PasswordDraft;
  onChange: (value: PasswordDraft) => void;
}) {
  return (
    <>
      <label className="field">
        {currentLabel}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={value.current}
          onChange={(e) => onChange({ ...value, current: e.target.value })}
        />
      </label>
      <label className="field">
        New password
        <input
          type="password"
          autoComplete="new-password"
          required
          value={value.next}
          onChange={(e) => onChange({ ...value, next: e.target.value })}
        />
      </label>
      <label className="field">
        Repeat the new password
        <input
          type="password"
          autoComplete="new-password"
          required
          value={value.repeat}
          onChange={(e) => onChange({ ...value, repeat: e.target.value })}
        />
        {passwordsDiffer(value) && <span className="field-error">The two passwords differ</span>}
      </label>
    </>
  );
}

import { useId } from 'react';
import type { FormField } from './schema-form.js';

/** One non-secret setting, edited as its JSON Schema type asks (text, number, choice, list, JSON). */
export function SettingInput({
  field,
  value,
  error,
  onChange,
}: {
  field: FormField;
  value: string | boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
}) {
  const id = useId();
  const hint = field.description ? (
    <span id={`${id}-hint`} className="hint">
      {field.description}
    </span>
  ) : null;
  const described = field.description ? `${id}-hint` : undefined;
  if (field.control === 'checkbox') {
    return (
      <div className="field">
        <label className="row">
          <input
            type="checkbox"
            aria-describedby={described}
            checked={Boolean(value)}
            onChange={(e) => onChange(e.target.checked)}
          />
          {field.name}
        </label>
        {hint}
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  const common = { id, 'aria-describedby': described, value: text };
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.name}
        {field.required && <span aria-hidden="true"> *</span>}
      </label>
      {hint}
      {field.control === 'select' ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          {!field.required && field.defaultValue === undefined && <option value="">—</option>}
          {field.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : field.control === 'lines' || field.control === 'json' ? (
        <textarea
          {...common}
          className="mono"
          rows={3}
          placeholder={field.control === 'lines' ? 'One per line' : 'JSON'}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          {...common}
          type={field.control === 'number' ? 'number' : 'text'}
          required={field.required}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

/** One write-only secret: a password field, "leave empty to keep" when set, and an explicit Remove. */
export function SecretInput({
  field,
  isSet,
  value,
  error,
  onChange,
}: {
  field: FormField;
  isSet: boolean;
  value: string | null | undefined;
  error?: string;
  onChange: (value: string | null | undefined) => void;
}) {
  const id = useId();
  const removing = value === null;
  return (
    <div className="field">
      <div className="row">
        <label htmlFor={id}>{field.name}</label>
        {isSet && !removing && <span className="badge ok">set</span>}
        {removing && <span className="badge warn">will be removed</span>}
      </div>
      {field.description && (
        <span id={`${id}-hint`} className="hint">
          {field.description}
        </span>
      )}
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        aria-describedby={field.description ? `${id}-hint` : undefined}
        value={value ?? ''}
        disabled={removing}
        placeholder={isSet ? 'Leave empty to keep the current value' : 'Not set'}
        required={field.required && !isSet}
        onChange={(e) => onChange(e.target.value)}
      />
      {isSet && (
        <button type="button" className="link small" onClick={() => onChange(removing ? undefined : null)}>
          {removing ? `Keep ${field.name}` : `Remove secret ${field.name}`}
        </button>
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

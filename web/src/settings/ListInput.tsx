import { useId, useState } from 'react';

/** A list of short texts (addresses, products, tags): type and press Enter or Add; remove with ✕. */
export function ListInput({
  label,
  values,
  onChange,
  placeholder,
  type = 'text',
  error,
  hint,
}: {
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  placeholder?: string;
  type?: 'text' | 'email';
  error?: string;
  hint?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const add = () => {
    const value = draft.trim();
    if (value && !values.some((v) => v.toLowerCase() === value.toLowerCase())) onChange([...values, value]);
    setDraft('');
  };
  return (
    <div className="list-input">
      <label htmlFor={id} style={{ fontWeight: 500 }}>
        {label}
      </label>
      {hint && <span className="cell-sub">{hint}</span>}
      <div className="row">
        <input
          id={id}
          type={type}
          value={draft}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          style={{ flex: 1 }}
        />
        <button type="button" className="small" onClick={add} disabled={!draft.trim()} aria-label={`Add to ${label}`}>
          Add
        </button>
      </div>
      {values.length > 0 && (
        <div className="chips" aria-label={label}>
          {values.map((value) => (
            <span key={value} className="chip">
              {value}
              <button type="button" aria-label={`Remove ${value}`} onClick={() => onChange(values.filter((v) => v !== value))}>
                ✕
              </button>
            </span>
          ))}
        </div>
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

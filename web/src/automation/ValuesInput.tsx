import { useId, useState } from 'react';

/** Several values as chips: type one and press Enter (or a comma) to add it; ✕ removes one. */
export function ValuesInput({
  label,
  values,
  onChange,
  suggestions = [],
  invalid = false,
}: {
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  suggestions?: readonly string[];
  invalid?: boolean;
}) {
  const [text, setText] = useState('');
  const listId = useId();
  const add = () => {
    const value = text.trim();
    if (value && !values.includes(value)) onChange([...values, value]);
    setText('');
  };
  return (
    <div className={`values-input${invalid ? ' invalid' : ''}`}>
      {values.map((value) => (
        <span key={value} className="chip">
          {value}
          <button type="button" aria-label={`Remove value ${value}`} onClick={() => onChange(values.filter((v) => v !== value))}>
            ✕
          </button>
        </span>
      ))}
      <input
        aria-label={label}
        aria-invalid={invalid || undefined}
        list={suggestions.length ? listId : undefined}
        value={text}
        placeholder={values.length ? 'Add…' : 'Type a value, press Enter'}
        onChange={(event) => {
          const next = event.target.value;
          // Picking from the datalist fills the whole value at once: take it as a chip.
          if (suggestions.includes(next) && !values.includes(next)) {
            onChange([...values, next]);
            setText('');
          } else setText(next);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ',') {
            event.preventDefault();
            add();
          } else if (event.key === 'Backspace' && !text && values.length) onChange(values.slice(0, -1));
        }}
        onBlur={add}
      />
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions
            .filter((s) => !values.includes(s))
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
      )}
    </div>
  );
}

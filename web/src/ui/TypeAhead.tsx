import { useId, useState, type ReactNode } from 'react';

/** One suggestion in a type-ahead list. */
export interface Suggestion<T> {
  key: string;
  label: string;
  hint?: ReactNode;
  value: T;
}

/**
 * An accessible combobox: type to filter, arrows to move, Enter to pick, Escape to close.
 * The caller fetches suggestions for `query` (e.g. with a query hook) and passes them in.
 */
export function TypeAhead<T>({
  label,
  query,
  onQueryChange,
  suggestions,
  onPick,
  placeholder,
  loading = false,
}: {
  label: string;
  query: string;
  onQueryChange: (query: string) => void;
  suggestions: Suggestion<T>[];
  onPick: (value: T) => void;
  placeholder?: string;
  loading?: boolean;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const shown = open && suggestions.length > 0;
  const pick = (suggestion: Suggestion<T> | undefined) => {
    if (!suggestion) return;
    onPick(suggestion.value);
    setOpen(false);
  };
  return (
    <div className="typeahead">
      <input
        role="combobox"
        aria-label={label}
        aria-expanded={shown}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={shown ? `${id}-${active}` : undefined}
        aria-busy={loading}
        value={query}
        placeholder={placeholder}
        onChange={(event) => {
          onQueryChange(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
            setActive((i) => Math.min(i + 1, suggestions.length - 1));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (event.key === 'Enter' && shown) {
            event.preventDefault();
            pick(suggestions[active]);
          } else if (event.key === 'Escape' && shown) {
            event.stopPropagation();
            setOpen(false);
          }
        }}
      />
      {shown && (
        <ul role="listbox" id={`${id}-list`} aria-label={`${label} suggestions`}>
          {suggestions.map((suggestion, index) => (
            <li
              key={suggestion.key}
              id={`${id}-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(suggestion);
              }}
              onMouseEnter={() => setActive(index)}
            >
              <span>{suggestion.label}</span>
              {suggestion.hint && <span className="muted">{suggestion.hint}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

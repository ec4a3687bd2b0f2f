import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A filter as a button ("Severity: High, Medium") that opens a small panel with its choices.
 * Escape or a click outside closes the panel; focus returns to the button.
 */
export function FilterMenu({
  label,
  summary,
  active,
  children,
  wide = false,
}: {
  label: string;
  summary: string;
  active: boolean;
  children: ReactNode;
  wide?: boolean;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('mousedown', onPointer);
    root.current?.addEventListener('keydown', onKey);
    const element = root.current;
    return () => {
      document.removeEventListener('mousedown', onPointer);
      element?.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="filter-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className={active ? 'filter-button active' : 'filter-button'}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="filter-label">{label}:</span> <span className="filter-summary">{summary}</span>
        <span aria-hidden="true" className="caret">
          ▾
        </span>
      </button>
      {open && (
        <div
          id={`${id}-panel`}
          role="group"
          aria-label={`${label} filter`}
          className={wide ? 'filter-panel wide' : 'filter-panel'}
        >
          {children}
        </div>
      )}
    </div>
  );
}

/** One choice in a checkbox list. */
export interface Choice {
  value: string;
  label: string;
}

/** Checkboxes for a filter with a few fixed values (status, severity, classification …). */
export function CheckboxList({
  choices,
  selected,
  onChange,
}: {
  choices: Choice[];
  selected: string[];
  onChange: (selected: string[]) => void;
}) {
  return (
    <div className="checkbox-list">
      {choices.map((choice) => (
        <label key={choice.value} className="check">
          <input
            type="checkbox"
            checked={selected.includes(choice.value)}
            onChange={(event) =>
              onChange(event.target.checked ? [...selected, choice.value] : selected.filter((v) => v !== choice.value))
            }
          />
          {choice.label}
        </label>
      ))}
    </div>
  );
}

/** Chosen values as removable chips. */
export function Chips({
  values,
  label,
  onRemove,
}: {
  values: string[];
  label: (value: string) => string;
  onRemove: (value: string) => void;
}) {
  if (values.length === 0) return null;
  return (
    <div className="row wrap">
      {values.map((value) => (
        <span key={value} className="chip">
          {label(value)}
          <button type="button" aria-label={`Remove ${label(value)}`} onClick={() => onRemove(value)}>
            ✕
          </button>
        </span>
      ))}
    </div>
  );
}

/** Summarises chosen values for a filter button: "All", "High", "High, Medium", "3 chosen". */
export function summarize(values: string[], label: (value: string) => string = (v) => v, none = 'All'): string {
  if (values.length === 0) return none;
  if (values.length <= 2) return values.map(label).join(', ');
  return `${values.length} chosen`;
}

import type { ReactNode } from 'react';
import { describeError } from './errors.js';

/** Shows a failed request where it happened: the API's message in words and its field problems. */
export function ErrorNotice({ error, what, onRetry }: { error: unknown; what?: string; onRetry?: () => void }) {
  if (!error) return null;
  const text = describeError(error, what);
  return (
    <div className="notice error" role="alert">
      <div className="row">
        <span>{text.title}</span>
        {onRetry && (
          <button type="button" className="link" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
      {text.details.length > 0 && (
        <ul>
          {text.details.map((d, i) => (
            <li key={i}>
              {d.line !== undefined && `Line ${d.line}: `}
              {d.path ? `${d.path}: ${d.message}` : d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A list or panel with nothing in it: says what it would hold and what to do. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

/** Shown while data loads. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading row" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

/** A short-lived confirmation (e.g. "Copied"). */
export function SuccessNotice({ children }: { children: ReactNode }) {
  return (
    <div className="notice success" role="status">
      {children}
    </div>
  );
}

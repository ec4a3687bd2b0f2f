import type { IncidentStatus, Severity } from '../api/types.js';

/** An incident's or alert's severity, coloured by level. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev-${severity}`}>{severity}</span>;
}

/** An incident's status. */
export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

/** A neutral or coloured label: ok (green), bad (red), warn (amber), neutral (grey). */
export function Badge({ tone = 'neutral', children }: { tone?: 'ok' | 'bad' | 'warn' | 'neutral'; children: string }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}

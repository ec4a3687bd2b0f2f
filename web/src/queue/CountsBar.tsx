import { INCIDENT_STATUSES, SEVERITIES } from '../../../src/common/enums.js';
import type { IncidentCounts } from '../api/types.js';
import { ErrorNotice } from '../ui/feedback.js';

/**
 * Counts by status and by severity for the current filters. Clicking a count filters the queue
 * to it; clicking the count that is already the only filter value removes that filter.
 */
export function CountsBar({
  counts,
  error,
  onRetry,
  status,
  severity,
  onFilter,
}: {
  counts: IncidentCounts | undefined;
  error: unknown;
  onRetry: () => void;
  status: string[];
  severity: string[];
  onFilter: (change: { status?: string[]; severity?: string[] }) => void;
}) {
  if (error) return <ErrorNotice error={error} what="incident counts" onRetry={onRetry} />;
  const only = (selected: string[], value: string) => selected.length === 1 && selected[0] === value;
  return (
    <div className="counts-bar" aria-label="Incident counts" role="group" aria-busy={!counts}>
      <div className="count total">
        <span className="count-value">{counts ? counts.total.toLocaleString() : '–'}</span>
        <span className="count-label">Incidents</span>
      </div>
      <div className="count-group" role="group" aria-label="By status">
        {INCIDENT_STATUSES.map((value) => (
          <button
            key={value}
            type="button"
            className={`count status-${value}`}
            aria-pressed={only(status, value)}
            aria-label={`${value}: ${counts?.byStatus[value] ?? 0} incidents — show only ${value}`}
            onClick={() => onFilter({ status: only(status, value) ? [] : [value] })}
          >
            <span className="count-value">{counts ? (counts.byStatus[value] ?? 0).toLocaleString() : '–'}</span>
            <span className="count-label">{value}</span>
          </button>
        ))}
      </div>
      <div className="count-group" role="group" aria-label="By severity">
        {SEVERITIES.map((value) => (
          <button
            key={value}
            type="button"
            className={`count sev-${value}`}
            aria-pressed={only(severity, value)}
            aria-label={`${value} severity: ${counts?.bySeverity[value] ?? 0} incidents — show only ${value}`}
            onClick={() => onFilter({ severity: only(severity, value) ? [] : [value] })}
          >
            <span className="count-value">{counts ? (counts.bySeverity[value] ?? 0).toLocaleString() : '–'}</span>
            <span className="count-label">{value}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

import { memo } from 'react';
import type { QueueIncident } from '../api/incidents.js';
import { wsUrl } from '../app/workspace.js';
import { SeverityBadge, StatusBadge } from '../ui/badges.js';
import { formatTime, ownerLabel, timeAgo } from '../ui/format.js';

/** How many tags a row shows before "+N". */
const TAGS_SHOWN = 1;

/** What a row needs besides its incident; kept to plain values so the memo holds. */
export interface IncidentRowProps {
  incident: QueueIncident;
  /** The queue's workspace; the cross-workspace queue uses each incident's own. */
  workspace: string | null;
  selected: boolean;
  /** Whether the row has a selection checkbox (the caller may manage incidents here). */
  selectable: boolean;
  /** Changed or arrived in the last seconds (live update): highlighted briefly. */
  recent: boolean;
  /** The clock for relative times; it ticks, so "3 min ago" stays true. */
  now: number;
  onToggle: (incident: QueueIncident, selected: boolean) => void;
}

/** One incident in the queue. Memoised: a page change or a live update re-renders only rows that changed. */
export const IncidentRow = memo(function IncidentRow({
  incident,
  workspace,
  selected,
  selectable,
  recent,
  now,
  onToggle,
}: IncidentRowProps) {
  const ws = incident.workspace?.id ?? workspace ?? '';
  const tags = [...incident.tags, ...incident.systemTags];
  const products = incident.alertProductNames;
  const className = [selected ? 'selected' : '', recent ? 'recent' : '', incident.status === 'Closed' ? 'closed' : '']
    .join(' ')
    .trim();
  return (
    <tr className={className || undefined} data-incident={incident.number}>
      {selectable && (
        <td className="select">
          <input
            type="checkbox"
            aria-label={`Select incident ${incident.number}`}
            checked={selected}
            onChange={(e) => onToggle(incident, e.target.checked)}
          />
        </td>
      )}
      <td className="num">{incident.number}</td>
      {!workspace && <td className="workspace-cell">{incident.workspace?.name ?? ws}</td>}
      <td className="title-cell">
        {/* A plain link: the table opens it in the app (IncidentTable), which is cheaper than a router Link per row. */}
        <a href={wsUrl(ws, `/incidents/${incident.number}`)} title={incident.title}>
          {incident.title}
        </a>
        {recent && <span className="visually-hidden"> (just changed)</span>}
      </td>
      <td>
        <SeverityBadge severity={incident.severity} />
      </td>
      <td>
        <StatusBadge status={incident.status} />
      </td>
      <td className={incident.owner ? 'owner-cell' : 'owner-cell muted'}>{ownerLabel(incident.owner)}</td>
      <td className="tags-cell" title={tags.join(', ')}>
        {tags.slice(0, TAGS_SHOWN).map((tag) => (
          <span key={tag} className="chip">
            {tag}
          </span>
        ))}
        {tags.length > TAGS_SHOWN && <span className="muted more">+{tags.length - TAGS_SHOWN}</span>}
      </td>
      <td className="num">{incident.alertCount}</td>
      <td className="num">
        {incident.taskCounts.total ? (
          `${incident.taskCounts.completed}/${incident.taskCounts.total}`
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="product-cell" title={products.join(', ')}>
        {products[0] ?? <span className="muted">—</span>}
        {products.length > 1 && <span className="muted more"> +{products.length - 1}</span>}
      </td>
      <td className="time-cell" title={formatTime(incident.createdAt)}>
        {timeAgo(incident.createdAt, now)}
      </td>
      <td className="time-cell" title={formatTime(incident.updatedAt)}>
        {timeAgo(incident.updatedAt, now)}
      </td>
    </tr>
  );
});

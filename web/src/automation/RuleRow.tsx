import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Link } from 'react-router-dom';
import type { AutomationRule } from '../api/automation-rules.js';
import { wsUrl } from '../app/workspace.js';
import { formatTime, timeAgo } from '../ui/format.js';
import { TRIGGER_SHORT } from './labels.js';
import { actionsSummary, conditionsSummary } from './summary.js';

/** One rule in the list: a sortable row with its drag handle, summaries, enabled switch and row actions. */
export function RuleRow({
  workspace,
  rule,
  index,
  count,
  canWrite,
  canReorder,
  busy,
  onMove,
  onToggle,
  onDelete,
}: {
  workspace: string;
  rule: AutomationRule;
  index: number;
  count: number;
  canWrite: boolean;
  canReorder: boolean;
  busy: boolean;
  onMove: (by: number) => void;
  onToggle: (enabled: boolean) => void;
  onDelete: () => void;
}) {
  const sortable = useSortable({ id: rule.id, disabled: !canReorder });
  const style = { transform: CSS.Transform.toString(sortable.transform), transition: sortable.transition };
  return (
    <tr
      ref={sortable.setNodeRef}
      style={style}
      className={`${rule.expired ? 'expired' : ''}${sortable.isDragging ? ' dragging' : ''}`}
      data-rule={rule.name}
    >
      <td className="handle-cell">
        {canReorder && (
          <button
            type="button"
            className="drag-handle"
            aria-label={`Reorder ${rule.name}`}
            title="Drag, or press Space then the arrow keys, to change the order"
            {...sortable.attributes}
            {...sortable.listeners}
          >
            ⠿
          </button>
        )}
      </td>
      <td className="num">{rule.order}</td>
      <td className="name-cell">
        <Link to={wsUrl(workspace, `/automation/${rule.id}`)}>{rule.name}</Link>
        {rule.description && <div className="muted small-text clamp">{rule.description}</div>}
      </td>
      <td className="trigger-cell">{TRIGGER_SHORT[rule.trigger]}</td>
      <td className="summary-cell">{conditionsSummary(rule.conditions)}</td>
      <td className="summary-cell">{actionsSummary(rule.actions)}</td>
      <td className="scope-cell">
        {rule.analyticsRules === null ? 'All' : rule.analyticsRules.map((r) => r.name).join(', ') || '—'}
      </td>
      <td>
        <label className="switch" title={canWrite ? undefined : 'Your role cannot change automation rules'}>
          <input
            type="checkbox"
            role="switch"
            aria-label={`Enabled: ${rule.name}`}
            checked={rule.enabled}
            disabled={!canWrite || busy}
            onChange={(e) => onToggle(e.target.checked)}
          />
          <span>{rule.enabled ? 'On' : 'Off'}</span>
        </label>
      </td>
      <td className="num">
        {rule.expired ? (
          <span className="badge neutral" title={formatTime(rule.expiresAt)}>
            Expired
          </span>
        ) : rule.expiresAt ? (
          formatTime(rule.expiresAt)
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td className="num" title={formatTime(rule.updatedAt)}>
        {timeAgo(rule.updatedAt)}
      </td>
      <td className="row-actions">
        {canReorder && (
          <>
            <button
              type="button"
              className="small"
              aria-label={`Move ${rule.name} up`}
              disabled={busy || index === 0}
              onClick={() => onMove(-1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="small"
              aria-label={`Move ${rule.name} down`}
              disabled={busy || index === count - 1}
              onClick={() => onMove(1)}
            >
              ↓
            </button>
          </>
        )}
        {canWrite && (
          <button type="button" className="small danger" aria-label={`Delete ${rule.name}`} onClick={onDelete}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

import { useUpdateNotificationRule, type NotificationRule } from '../../api/notification-rules.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { filterSummary, recipientSummary, triggerSummary } from './rule-draft.js';
import { EnabledCell } from '../../ui/EnabledCell.js';

/** What the rules list can open for a rule. */
export type RuleAction = 'edit' | 'test' | 'log' | 'delete';

/** One notification rule in the list: what, who, when; enable switch and actions. */
export function RuleRow({
  workspace,
  rule,
  canWrite,
  onOpen,
}: {
  workspace: string;
  rule: NotificationRule;
  canWrite: boolean;
  onOpen: (action: RuleAction) => void;
}) {
  const update = useUpdateNotificationRule(workspace);
  const reason = canWrite ? undefined : 'Needs the Contributor or Owner role (rules.write)';
  return (
    <tr>
      <td>
        <strong>{rule.name}</strong>
        {rule.description && <div className="cell-sub">{rule.description}</div>}
        <ErrorNotice error={update.error} what="rule" />
      </td>
      <td>{triggerSummary(rule)}</td>
      <td>{filterSummary(rule)}</td>
      <td>
        {recipientSummary(rule)}
        <div className="cell-sub">
          {[
            ...rule.recipients.users.map((u) => u.name),
            ...rule.recipients.groups.map((g) => g.name),
            ...rule.recipients.addresses,
          ]
            .slice(0, 3)
            .join(', ')}
        </div>
      </td>
      <EnabledCell
        name={rule.name}
        enabled={rule.enabled}
        disabled={!canWrite || update.isPending}
        title={reason}
        onToggle={(enabled) => update.mutate({ rule, changes: { enabled } })}
      />
      <td>
        <div className="cell-actions">
          <button type="button" className="small" disabled={!canWrite} title={reason} onClick={() => onOpen('edit')}>
            Edit
          </button>
          <button type="button" className="small" disabled={!canWrite} title={reason} onClick={() => onOpen('test')}>
            Test send
          </button>
          <button type="button" className="small" onClick={() => onOpen('log')}>
            Delivery log
          </button>
          <button
            type="button"
            className="small danger"
            disabled={!canWrite}
            title={reason}
            onClick={() => onOpen('delete')}
            aria-label={`Delete ${rule.name}`}
          >
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}

import { useUpdateWebhook, type WebhookSubscription } from '../../api/webhook-subscriptions.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { EnabledCell } from '../../ui/EnabledCell.js';

/** What the webhook list can open for a subscription. */
export type WebhookAction = 'edit' | 'test' | 'rotate' | 'log' | 'delete';

/** One subscription: name and URL, events, enable switch and actions. */
export function WebhookRow({
  workspace,
  webhook,
  canWrite,
  onOpen,
}: {
  workspace: string;
  webhook: WebhookSubscription;
  canWrite: boolean;
  onOpen: (action: WebhookAction) => void;
}) {
  const update = useUpdateWebhook(workspace);
  const reason = canWrite ? undefined : 'Needs the Playbook contributor or Owner role (playbooks.write)';
  return (
    <tr>
      <td>
        <strong>{webhook.name}</strong>
        <div className="cell-sub mono wrap-anywhere">{webhook.url}</div>
        {webhook.description && <div className="cell-sub">{webhook.description}</div>}
        <ErrorNotice error={update.error} what="webhook" />
      </td>
      <td>
        <div className="row wrap" style={{ gap: 4 }}>
          {webhook.events.map((e) => (
            <span key={e} className="chip mono">
              {e}
            </span>
          ))}
        </div>
      </td>
      <td className="num">
        {formatTime(webhook.updatedAt)}
        <div className="cell-sub">{webhook.modifiedBy.name}</div>
      </td>
      <EnabledCell
        name={webhook.name}
        enabled={webhook.enabled}
        disabled={!canWrite || update.isPending}
        title={reason}
        onToggle={(enabled) => update.mutate({ webhook, changes: { enabled } })}
      />
      <td>
        <div className="cell-actions">
          <button type="button" className="small" disabled={!canWrite} title={reason} onClick={() => onOpen('edit')}>
            Edit
          </button>
          <button type="button" className="small" disabled={!canWrite} title={reason} onClick={() => onOpen('test')}>
            Test ping
          </button>
          <button type="button" className="small" disabled={!canWrite} title={reason} onClick={() => onOpen('rotate')}>
            Rotate secret
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
            aria-label={`Delete ${webhook.name}`}
          >
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}

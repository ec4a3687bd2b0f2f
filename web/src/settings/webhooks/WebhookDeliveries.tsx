import { useRedeliver, useWebhookDeliveries, type WebhookSubscription } from '../../api/webhook-subscriptions.js';
import { ErrorNotice, SuccessNotice } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { DeliveryLog, useDeliveryPaging } from '../DeliveryLog.js';
import { DeliveryStatus } from '../DeliveryStatus.js';

/** A subscription's delivery log, newest first, with redeliver for ended deliveries. */
export function WebhookDeliveries({
  workspace,
  webhook,
  canWrite,
  onClose,
}: {
  workspace: string;
  webhook: WebhookSubscription;
  canWrite: boolean;
  onClose: () => void;
}) {
  const paging = useDeliveryPaging();
  const query = useWebhookDeliveries(workspace, webhook.id, paging.status, paging.cursor);
  const redeliver = useRedeliver(workspace, webhook.id);
  return (
    <DeliveryLog
      title={`Deliveries: ${webhook.name}`}
      paging={paging}
      query={query}
      onClose={onClose}
      header={
        <tr>
          <th>Time</th>
          <th>Event</th>
          <th>Status</th>
          <th>Answer</th>
          <th>Attempts</th>
          <th aria-label="Actions" />
        </tr>
      }
      renderRow={(d) => {
        const ended = d.status === 'sent' || d.status === 'failed' || d.status === 'skipped';
        return (
          <tr key={d.id}>
            <td className="num">{formatTime(d.createdAt)}</td>
            <td>
              {d.eventType}
              <div className="cell-sub mono">{d.id}</div>
            </td>
            <td>
              <DeliveryStatus status={d.status} />
            </td>
            <td>
              {d.responseCode ?? '—'}
              {d.lastError && <div className="cell-sub">{d.lastError}</div>}
              {d.nextAttemptAt && <div className="cell-sub">Next attempt {formatTime(d.nextAttemptAt)}</div>}
            </td>
            <td className="num">{d.attempts}</td>
            <td>
              {ended && (
                <button
                  type="button"
                  className="small"
                  disabled={!canWrite || redeliver.isPending}
                  title={canWrite ? 'Send this body again, as a new delivery' : 'Needs the Playbook contributor or Owner role'}
                  onClick={() => redeliver.mutate(d)}
                >
                  Redeliver
                </button>
              )}
            </td>
          </tr>
        );
      }}
    >
      <ErrorNotice error={redeliver.error} what="delivery" />
      {redeliver.data && <SuccessNotice>Queued again as delivery {redeliver.data.id}.</SuccessNotice>}
    </DeliveryLog>
  );
}

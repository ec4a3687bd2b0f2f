import { useNotificationDeliveries, type NotificationRule } from '../../api/notification-rules.js';
import { formatTime } from '../../ui/format.js';
import { DeliveryLog, useDeliveryPaging } from '../DeliveryLog.js';
import { DeliveryStatus } from '../DeliveryStatus.js';

/** A notification rule's delivery log: one row per event and recipient, newest first. */
export function RuleDeliveries({ workspace, rule, onClose }: { workspace: string; rule: NotificationRule; onClose: () => void }) {
  const paging = useDeliveryPaging();
  const query = useNotificationDeliveries(workspace, rule.id, paging.status, paging.cursor);
  return (
    <DeliveryLog
      title={`Deliveries: ${rule.name}`}
      paging={paging}
      query={query}
      onClose={onClose}
      header={
        <tr>
          <th>Time</th>
          <th>Recipient</th>
          <th>Email</th>
          <th>Status</th>
          <th>Attempts</th>
        </tr>
      }
      renderRow={(d) => (
        <tr key={d.id}>
          <td className="num">{formatTime(d.createdAt)}</td>
          <td>{d.recipient ?? '—'}</td>
          <td>
            {d.subject ?? d.eventType}
            {(d.error || d.note) && <div className="cell-sub">{d.error ?? d.note}</div>}
            {d.nextAttemptAt && <div className="cell-sub">Next attempt {formatTime(d.nextAttemptAt)}</div>}
          </td>
          <td>
            <DeliveryStatus status={d.status} />
          </td>
          <td className="num">{d.attempts}</td>
        </tr>
      )}
    />
  );
}

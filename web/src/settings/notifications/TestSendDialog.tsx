import { useTestNotificationRule, type NotificationRule } from '../../api/notification-rules.js';
import { Badge } from '../../ui/badges.js';
import { Dialog } from '../../ui/Dialog.js';
import { ErrorNotice, Loading } from '../../ui/feedback.js';
import { TestDialogButtons } from '../../ui/TestDialogButtons.js';

const TONE = { sent: 'ok', failed: 'bad', skipped: 'neutral' } as const;

/** Sends a sample email to each of a rule's recipients (on request) and shows each result. */
export function TestSendDialog({ workspace, rule, onClose }: { workspace: string; rule: NotificationRule; onClose: () => void }) {
  const test = useTestNotificationRule(workspace);
  const send = () => test.mutate(rule);
  return (
    <Dialog title={`Test send: ${rule.name}`} onClose={onClose}>
      <p className="muted" style={{ margin: 0 }}>
        A sample email about a made-up incident, marked as a test, goes to each recipient now, whether the rule is enabled or not.
        Test emails are not in the delivery log.
      </p>
      {test.isPending && <Loading label="Sending…" />}
      <ErrorNotice error={test.error} what="rule" onRetry={send} />
      {test.data && (
        <table className="grid" aria-label="Test results">
          <thead>
            <tr>
              <th>Recipient</th>
              <th>Result</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {test.data.results.map((r) => (
              <tr key={r.recipient}>
                <td>{r.recipient}</td>
                <td>
                  <Badge tone={TONE[r.status]}>{r.status}</Badge>
                </td>
                <td>{r.error ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TestDialogButtons
        sendLabel="Send test emails now"
        sent={Boolean(test.data || test.error)}
        pending={test.isPending}
        onSend={send}
        onClose={onClose}
      />
    </Dialog>
  );
}

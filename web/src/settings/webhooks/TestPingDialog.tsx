import { useTestWebhook, type WebhookSubscription } from '../../api/webhook-subscriptions.js';
import { Badge } from '../../ui/badges.js';
import { Dialog } from '../../ui/Dialog.js';
import { ErrorNotice, Loading } from '../../ui/feedback.js';
import { TestDialogButtons } from '../../ui/TestDialogButtons.js';

/** Sends a signed `ping` to a subscription's URL on request and shows the answer. */
export function TestPingDialog({
  workspace,
  webhook,
  onClose,
}: {
  workspace: string;
  webhook: WebhookSubscription;
  onClose: () => void;
}) {
  const test = useTestWebhook(workspace);
  const send = () => test.mutate(webhook);
  const result = test.data;
  return (
    <Dialog title={`Test ping: ${webhook.name}`} onClose={onClose}>
      <p className="muted" style={{ margin: 0 }}>
        Sends a signed <code>ping</code> event to <span className="mono">{webhook.url}</span> now and reports the answer.
      </p>
      {test.isPending && <Loading label="Sending…" />}
      <ErrorNotice error={test.error} what="webhook" />
      {result && (
        <dl className="role-legend" aria-label="Test result">
          <dt>Result</dt>
          <dd>{result.delivered ? <Badge tone="ok">Delivered</Badge> : <Badge tone="bad">Not delivered</Badge>}</dd>
          <dt>HTTP answer</dt>
          <dd>{result.responseCode ?? 'none'}</dd>
          <dt>Error</dt>
          <dd>{result.error ?? '—'}</dd>
          <dt>Took</dt>
          <dd>{Math.round(result.durationMs)} ms</dd>
        </dl>
      )}
      <TestDialogButtons
        sendLabel="Send ping now"
        sent={Boolean(result || test.error)}
        pending={test.isPending}
        onSend={send}
        onClose={onClose}
      />
    </Dialog>
  );
}

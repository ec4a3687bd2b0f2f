import type { WebhookWithSecret } from '../../api/webhook-subscriptions.js';
import { SecretOnceDialog } from '../../ui/SecretOnceDialog.js';

/** A subscription's signing secret, shown once after creating it or rotating the secret. */
export function SecretDialog({ webhook, onClose }: { webhook: WebhookWithSecret; onClose: () => void }) {
  return (
    <SecretOnceDialog
      title={`Signing secret of ${webhook.name}`}
      intro={
        <>
          Verify the <code>X-Vigil-Signature</code> header of each request with it: HMAC-SHA256 over “&lt;t&gt;.&lt;raw body&gt;”.
        </>
      }
      secret={{
        label: 'Signing secret',
        value: webhook.secret,
        warning: 'Vigil shows this secret only now. If it is lost, rotate it and update the receiver.',
      }}
      onClose={onClose}
    />
  );
}

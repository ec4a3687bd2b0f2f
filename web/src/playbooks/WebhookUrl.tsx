import { useState } from 'react';
import { useRotateWebhook } from '../api/playbooks.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/feedback.js';

/**
 * "New webhook URL": replaces the playbook's secret URL (the old one stops working) and shows the
 * new one once, with a Copy button. A URL made when the playbook was created is shown the same way.
 */
export function WebhookUrl({
  workspace,
  playbook,
  initialUrl,
}: {
  workspace: string;
  playbook: string;
  initialUrl: string | null;
}) {
  const rotate = useRotateWebhook(workspace);
  const [confirming, setConfirming] = useState(false);
  const [url, setUrl] = useState<string | null>(initialUrl);
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setConfirming(true)}>
        New webhook URL
      </button>
      {confirming && (
        <Dialog title="Make a new webhook URL?" onClose={() => setConfirming(false)}>
          <p>The current URL stops working at once: update the service that calls it with the new one.</p>
          <ErrorNotice error={rotate.error} what="playbook" />
          <div className="row">
            <span className="spacer" />
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={rotate.isPending}
              onClick={() =>
                rotate.mutate(playbook, {
                  onSuccess: (result) => {
                    setConfirming(false);
                    setCopied(false);
                    setUrl(result.url);
                  },
                })
              }
            >
              Make new URL
            </button>
          </div>
        </Dialog>
      )}
      {url && (
        <Dialog title="Webhook URL" onClose={() => setUrl(null)}>
          <p>
            This URL is shown <strong>only now</strong>. Anyone who has it can start this playbook: store it like a password.
          </p>
          <label className="field">
            URL
            <input readOnly value={url} className="mono" onFocus={(e) => e.currentTarget.select()} />
          </label>
          <div className="row">
            {copied && <span role="status">Copied</span>}
            <span className="spacer" />
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard?.writeText(url).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              Copy
            </button>
            <button type="button" className="primary" onClick={() => setUrl(null)}>
              Done
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

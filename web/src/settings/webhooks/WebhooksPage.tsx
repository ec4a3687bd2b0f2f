import { useState } from 'react';
import { can, useMe } from '../../api/session.js';
import {
  useDeleteWebhook,
  useRotateWebhookSecret,
  useWebhooks,
  type WebhookSubscription,
  type WebhookWithSecret,
} from '../../api/webhook-subscriptions.js';
import { useWorkspaceId } from '../../app/workspace.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { ReadOnlyNotice } from '../ReadOnlyNotice.js';
import { SettingsBody } from '../SettingsLayout.js';
import { SecretDialog } from './SecretDialog.js';
import { TestPingDialog } from './TestPingDialog.js';
import { WebhookDeliveries } from './WebhookDeliveries.js';
import { WebhookForm } from './WebhookForm.js';
import { WebhookRow, type WebhookAction } from './WebhookRow.js';
import { QueryList } from '../../ui/QueryList.js';

/** Outbound webhooks: signed POSTs to other systems when incidents, tasks, comments and runs change. */
export function WebhooksPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const canWrite = can(me.data, workspace, 'playbooks.write');
  const hooks = useWebhooks(workspace);
  const remove = useDeleteWebhook(workspace);
  const rotate = useRotateWebhookSecret(workspace);
  const [open, setOpen] = useState<{ action: WebhookAction | 'new'; webhook?: WebhookSubscription } | null>(null);
  const [secret, setSecret] = useState<WebhookWithSecret | null>(null);
  const close = () => setOpen(null);
  const webhook = open?.webhook;
  return (
    <SettingsBody intro="Vigil POSTs a signed JSON body to each subscribed URL when something happens in this workspace, retrying with backoff; each subscription keeps a 30-day delivery log.">
      {!canWrite && (
        <ReadOnlyNotice>
          You can see the subscriptions and their delivery logs; changing them needs the Playbook contributor or Owner role.
        </ReadOnlyNotice>
      )}
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          disabled={!canWrite}
          title={canWrite ? undefined : 'Needs the Playbook contributor or Owner role'}
          onClick={() => setOpen({ action: 'new' })}
        >
          New webhook
        </button>
        {hooks.data && <span className="muted">{hooks.data.items.length} of at most 50 subscriptions</span>}
      </div>
      <QueryList
        query={hooks}
        emptyTitle="No webhooks yet"
        empty="Subscribe a ticketing system or chat tool to incident events with “New webhook”."
      >
        {(data) => (
          <table className="grid" aria-label="Webhook subscriptions">
            <thead>
              <tr>
                <th>Webhook</th>
                <th>Events</th>
                <th>Changed</th>
                <th>Enabled</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <WebhookRow
                  key={item.id}
                  workspace={workspace}
                  webhook={item}
                  canWrite={canWrite}
                  onOpen={(action) => setOpen({ action, webhook: item })}
                />
              ))}
            </tbody>
          </table>
        )}
      </QueryList>
      {open?.action === 'new' && <WebhookForm workspace={workspace} onClose={close} />}
      {open?.action === 'edit' && webhook && <WebhookForm workspace={workspace} webhook={webhook} onClose={close} />}
      {open?.action === 'test' && webhook && <TestPingDialog workspace={workspace} webhook={webhook} onClose={close} />}
      {open?.action === 'log' && webhook && (
        <WebhookDeliveries workspace={workspace} webhook={webhook} canWrite={canWrite} onClose={close} />
      )}
      {open?.action === 'rotate' && webhook && (
        <ConfirmDialog
          title={`Rotate the secret of ${webhook.name}?`}
          confirmLabel="Rotate secret"
          pending={rotate.isPending}
          error={rotate.error}
          onClose={close}
          onConfirm={() =>
            rotate.mutate(webhook, {
              onSuccess: (made) => {
                close();
                setSecret(made);
              },
            })
          }
        >
          Deliveries are signed with the new secret at once; the receiver refuses them until it has the new one.
        </ConfirmDialog>
      )}
      {open?.action === 'delete' && webhook && (
        <ConfirmDialog
          title={`Delete ${webhook.name}?`}
          confirmLabel="Delete webhook"
          pending={remove.isPending}
          error={remove.error}
          onClose={close}
          onConfirm={() => remove.mutate(webhook, { onSuccess: close })}
        >
          Nothing more is sent to {webhook.url}; deliveries not yet made are skipped. Its delivery log stays 30 days.
        </ConfirmDialog>
      )}
      {secret && <SecretDialog webhook={secret} onClose={() => setSecret(null)} />}
    </SettingsBody>
  );
}

import { useState, type FormEvent } from 'react';
import { EVENT_TYPES } from '../../../../src/events/event-types.js';
import {
  useCreateWebhook,
  useUpdateWebhook,
  type WebhookInput,
  type WebhookSubscription,
  type WebhookWithSecret,
} from '../../api/webhook-subscriptions.js';
import { Dialog } from '../../ui/Dialog.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { SecretDialog } from './SecretDialog.js';

const EVENT_TEXT: Record<(typeof EVENT_TYPES)[number], string> = {
  'incident.created': 'Incident created',
  'incident.updated': 'Incident updated',
  'incident.closed': 'Incident closed',
  'task.created': 'Task added',
  'task.completed': 'Task completed',
  'comment.added': 'Comment added',
  'playbookRun.finished': 'Playbook run finished',
};

/** Creates a webhook subscription (then shows its signing secret once) or edits one with If-Match. */
export function WebhookForm({
  workspace,
  webhook,
  onClose,
}: {
  workspace: string;
  webhook?: WebhookSubscription;
  onClose: () => void;
}) {
  const [input, setInput] = useState<WebhookInput>({
    name: webhook?.name ?? '',
    description: webhook?.description ?? '',
    url: webhook?.url ?? '',
    events: webhook?.events ?? ['incident.created', 'incident.updated'],
    enabled: webhook?.enabled ?? true,
  });
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  const create = useCreateWebhook(workspace);
  const update = useUpdateWebhook(workspace);
  const mutation = webhook ? update : create;
  if (created) return <SecretDialog webhook={created} onClose={onClose} />;
  const set = (changes: Partial<WebhookInput>) => setInput({ ...input, ...changes });
  const error = (path: string) => fieldError(mutation.error, path);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (webhook) update.mutate({ webhook, changes: input }, { onSuccess: onClose });
    else create.mutate(input, { onSuccess: setCreated });
  };
  return (
    <Dialog title={webhook ? `Edit ${webhook.name}` : 'New webhook'} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label className="field">
          Name
          <input value={input.name} onChange={(e) => set({ name: e.target.value })} required maxLength={200} autoFocus />
          {error('name') && <span className="field-error">{error('name')}</span>}
        </label>
        <label className="field">
          URL
          <span className="hint">Vigil POSTs signed JSON here. Private, loopback and cloud-metadata addresses are refused.</span>
          <input
            type="url"
            value={input.url}
            onChange={(e) => set({ url: e.target.value })}
            required
            maxLength={2000}
            placeholder="https://hooks.example.com/vigil"
          />
          {error('url') && <span className="field-error">{error('url')}</span>}
        </label>
        <label className="field">
          Description
          <textarea value={input.description} rows={2} maxLength={2000} onChange={(e) => set({ description: e.target.value })} />
        </label>
        <fieldset>
          <legend>Events</legend>
          <div className="check-row">
            {EVENT_TYPES.map((type) => (
              <label key={type} title={type}>
                <input
                  type="checkbox"
                  checked={input.events.includes(type)}
                  onChange={(e) =>
                    set({ events: e.target.checked ? [...input.events, type] : input.events.filter((t) => t !== type) })
                  }
                />
                {EVENT_TEXT[type]}
              </label>
            ))}
          </div>
          {error('events') && <span className="field-error">{error('events')}</span>}
        </fieldset>
        <label className="row">
          <input type="checkbox" checked={input.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled
        </label>
        <ErrorNotice error={mutation.error} what="webhook" />
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={mutation.isPending || input.events.length === 0}>
            {webhook ? 'Save webhook' : 'Create webhook'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

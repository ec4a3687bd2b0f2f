import { useState, type FormEvent } from 'react';
import { SEVERITIES } from '../../../../src/common/enums.js';
import {
  MAX_DIGEST_AFTER,
  UPDATE_KINDS,
  useCreateNotificationRule,
  useUpdateNotificationRule,
  type NotificationRule,
} from '../../api/notification-rules.js';
import { SidePane } from '../../ui/Dialog.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice } from '../../ui/feedback.js';
import { ListInput } from '../ListInput.js';
import { draftOf, inputOf, type RuleDraft } from './rule-draft.js';
import { useAnalyticsRuleRefs, useGroupRefs, useUserRefs } from './rule-searches.js';
import { RefPicker } from './RefPicker.js';

const UPDATE_TEXT: Record<(typeof UPDATE_KINDS)[number], string> = {
  status: 'Status changes',
  severity: 'Severity changes',
  owner: 'Owner changes',
  alerts: 'New alerts grouped in',
  comments: 'New comments',
};

function toggle<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list, value] : list.filter((v) => v !== value);
}

/** Creates or edits a notification rule in a side pane: triggers, filters, recipients, digest; saved with If-Match. */
export function RuleForm({ workspace, rule, onClose }: { workspace: string; rule?: NotificationRule; onClose: () => void }) {
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule));
  const create = useCreateNotificationRule(workspace);
  const update = useUpdateNotificationRule(workspace);
  const mutation = rule ? update : create;
  const set = (changes: Partial<RuleDraft>) => setDraft({ ...draft, ...changes });
  const error = (path: string) => fieldError(mutation.error, path);
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (rule) update.mutate({ rule, changes: inputOf(draft) }, { onSuccess: onClose });
    else create.mutate(inputOf(draft), { onSuccess: onClose });
  };
  const formId = 'notification-rule-form';
  return (
    <SidePane
      title={rule ? `Edit ${rule.name}` : 'New notification rule'}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : rule ? 'Save rule' : 'Create rule'}
          </button>
        </>
      }
    >
      <form id={formId} className="stack" onSubmit={submit}>
        <label className="field">
          Name
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} required maxLength={200} />
          {error('name') && <span className="field-error">{error('name')}</span>}
        </label>
        <label className="field">
          Description
          <textarea value={draft.description} rows={2} maxLength={2000} onChange={(e) => set({ description: e.target.value })} />
        </label>
        <label className="row">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled
        </label>
        <fieldset>
          <legend>Send an email when</legend>
          <div className="check-row">
            <label>
              <input type="checkbox" checked={draft.created} onChange={(e) => set({ created: e.target.checked })} />
              An incident is created
            </label>
            {UPDATE_KINDS.map((kind) => (
              <label key={kind}>
                <input
                  type="checkbox"
                  checked={draft.updates.includes(kind)}
                  onChange={(e) => set({ updates: toggle(draft.updates, kind, e.target.checked) })}
                />
                {UPDATE_TEXT[kind]}
              </label>
            ))}
          </div>
          {error('triggers') && <span className="field-error">{error('triggers')}</span>}
        </fieldset>
        <fieldset className="stack">
          <legend>Only for incidents that match (every filter given; any value of each)</legend>
          <div className="check-row" role="group" aria-label="Severities">
            <span style={{ fontWeight: 500 }}>Severity:</span>
            {SEVERITIES.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  checked={draft.severities.includes(s)}
                  onChange={(e) => set({ severities: toggle(draft.severities, s, e.target.checked) })}
                />
                {s}
              </label>
            ))}
          </div>
          <ListInput
            label="Products"
            values={draft.products}
            onChange={(products) => set({ products })}
            placeholder="Microsoft Defender for Endpoint"
            error={error('filters.products')}
          />
          <RefPicker
            label="Analytics rules"
            values={draft.analyticsRules}
            onChange={(analyticsRules) => set({ analyticsRules })}
            useSearch={useAnalyticsRuleRefs}
            placeholder="Type a rule name…"
            error={error('filters.analyticsRules')}
          />
          <ListInput label="Tags" values={draft.tags} onChange={(tags) => set({ tags })} error={error('filters.tags')} />
          <ListInput
            label="Host groups"
            hint="A Host entity’s device group, or an incident tag hostGroup:<name>"
            values={draft.hostGroups}
            onChange={(hostGroups) => set({ hostGroups })}
            error={error('filters.hostGroups')}
          />
        </fieldset>
        <fieldset className="stack">
          <legend>Recipients (at most 50 in all)</legend>
          <RefPicker
            label="Users"
            values={draft.users}
            onChange={(users) => set({ users })}
            useSearch={useUserRefs}
            placeholder="Members of this workspace…"
            error={error('recipients.users')}
          />
          <RefPicker
            label="Groups"
            values={draft.groups}
            onChange={(groups) => set({ groups })}
            useSearch={useGroupRefs}
            placeholder="Groups with a role here…"
            error={error('recipients.groups')}
          />
          <ListInput
            label="Email addresses"
            type="email"
            values={draft.addresses}
            onChange={(addresses) => set({ addresses })}
            placeholder="oncall@contoso.com"
            error={error('recipients.addresses')}
          />
          {fieldError(mutation.error, 'recipients') &&
            !error('recipients.users') &&
            !error('recipients.groups') &&
            !error('recipients.addresses') && <span className="field-error">{error('recipients')}</span>}
        </fieldset>
        <fieldset className="stack">
          <legend>Email contents and rate limit</legend>
          <label className="row">
            <input type="checkbox" checked={draft.includeSummary} onChange={(e) => set({ includeSummary: e.target.checked })} />
            Include the incident’s latest alerts and its entities
          </label>
          <label className="field">
            Emails at once per recipient in 10 minutes
            <span className="hint">Later events in the window are folded into one digest email at its end.</span>
            <input
              type="number"
              min={1}
              max={MAX_DIGEST_AFTER}
              value={draft.digestAfter}
              onChange={(e) => set({ digestAfter: Number(e.target.value) })}
              style={{ width: 120 }}
            />
            {error('digestAfter') && <span className="field-error">{error('digestAfter')}</span>}
          </label>
        </fieldset>
        <ErrorNotice error={mutation.error} what="rule" />
      </form>
    </SidePane>
  );
}

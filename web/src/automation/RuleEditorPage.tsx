import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  useAutomationRule,
  useAutomationRules,
  useCreateAutomationRule,
  useRuleDraftFromIncident,
  useUpdateAutomationRule,
  type AutomationRule,
  type Trigger,
} from '../api/automation-rules.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';
import { fieldError } from '../ui/errors.js';
import { useUnsavedChangesGuard } from '../ui/unsaved-changes.js';
import { formatTime, actorLabel } from '../ui/format.js';
import { ActionList } from './ActionList.js';
import { ConditionBuilder } from './ConditionBuilder.js';
import { draftFrom, emptyDraft, problemsOf, toRuleInput, type RuleDraft } from './draft.js';
import { DryRunPanel } from './DryRunPanel.js';
import { RunHistory } from './RunHistory.js';
import { LIMITS, TRIGGER_LABELS } from './labels.js';
import { ScopePicker } from './ScopePicker.js';
import './automation.css';

/** /automation/new, /automation/new?fromIncident=N and /automation/:rule: loads what to edit, then shows the form. */
export function RuleEditorPage() {
  const workspace = useWorkspaceId();
  const { rule: ruleId } = useParams();
  const [search] = useSearchParams();
  const fromIncident = search.get('fromIncident');
  const incidentNumber = fromIncident && /^\d+$/.test(fromIncident) ? Number(fromIncident) : undefined;
  const rule = useAutomationRule(workspace, ruleId);
  const draft = useRuleDraftFromIncident(workspace, ruleId ? undefined : incidentNumber);
  const list = useAutomationRules(workspace);
  const loading = ruleId ? rule : incidentNumber !== undefined ? draft : list;
  const title = ruleId ? 'Edit automation rule' : 'Create automation rule';
  if (loading.isPending) return <Loading />;
  if (loading.error) {
    return (
      <>
        <PageHeader title={title} />
        <div className="page-body">
          <ErrorNotice error={loading.error} what={ruleId ? 'rule' : 'incident'} onRetry={() => void loading.refetch()} />
        </div>
      </>
    );
  }
  const nextOrder = Math.min(1000, Math.max(0, ...(list.data?.items ?? []).map((r) => r.order)) + 1);
  const initial = rule.data ? draftFrom(rule.data) : draft.data ? draftFrom(draft.data) : emptyDraft(nextOrder);
  return (
    <RuleForm
      key={rule.data?.id ?? `new-${incidentNumber ?? ''}`}
      workspace={workspace}
      initial={initial}
      saved={rule.data}
      fromIncident={incidentNumber}
    />
  );
}

function RuleForm({
  workspace,
  initial,
  saved,
  fromIncident,
}: {
  workspace: string;
  initial: RuleDraft;
  saved?: AutomationRule;
  fromIncident?: number;
}) {
  const me = useMe();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(initial);
  const create = useCreateAutomationRule(workspace);
  const update = useUpdateAutomationRule(workspace);
  const save = saved ? update : create;
  const allowed = can(me.data, workspace, 'rules.write');
  const problems = problemsOf(save.error);
  const set = <K extends keyof RuleDraft>(field: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [field]: value }));
  const initialText = useMemo(() => JSON.stringify(initial), [initial]);
  const dirty = JSON.stringify(draft) !== initialText;
  const guard = useUnsavedChangesGuard(dirty, saved ? 'this rule' : 'the new rule');
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const input = toRuleInput(draft);
    const done = () => {
      guard.release();
      navigate(wsUrl(workspace, '/automation'));
    };
    if (saved) update.mutate({ rule: saved, changes: input }, { onSuccess: done });
    else create.mutate(input, { onSuccess: done });
  };
  const title = saved ? `Edit: ${saved.name}` : 'Create automation rule';
  return (
    <>
      <PageHeader title={title}>
        <Link className="button" to={wsUrl(workspace, '/automation')}>
          Cancel
        </Link>
        <button
          type="submit"
          form="rule-form"
          className="primary"
          disabled={!allowed || save.isPending}
          title={allowed ? undefined : 'Your role cannot change automation rules'}
        >
          {save.isPending ? 'Saving…' : saved ? 'Save changes' : 'Create rule'}
        </button>
      </PageHeader>
      <div className="page-body rule-editor">
        <form id="rule-form" className="stack" onSubmit={submit} noValidate>
          {!allowed && (
            <p className="notice info">You can read this rule; changing automation rules needs the Contributor or Owner role.</p>
          )}
          {fromIncident !== undefined && !saved && (
            <p className="notice info">
              Pre-filled from incident <Link to={wsUrl(workspace, `/incidents/${fromIncident}`)}>#{fromIncident}</Link>: its
              analytics rules and entities. Review the conditions and actions before creating the rule.
            </p>
          )}
          {save.error != null && (
            <div className="error-summary">
              <ErrorNotice error={save.error} what="rule" />
            </div>
          )}
          <fieldset className="card" disabled={!allowed}>
            <legend>Rule</legend>
            <div className="form-grid">
              <label className="field span2">
                Name
                <input
                  value={draft.name}
                  maxLength={LIMITS.name}
                  required
                  aria-invalid={Boolean(fieldError(save.error, 'name')) || undefined}
                  onChange={(e) => set('name', e.target.value)}
                />
                {fieldError(save.error, 'name') && <span className="field-error">{fieldError(save.error, 'name')}</span>}
              </label>
              <label className="field">
                Trigger
                <select value={draft.trigger} onChange={(e) => set('trigger', e.target.value as Trigger)}>
                  {Object.entries(TRIGGER_LABELS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                Order
                <input
                  type="number"
                  min={1}
                  max={1000}
                  value={draft.order}
                  onChange={(e) => set('order', Number(e.target.value))}
                />
                <span className="hint">1–1000; lower runs first</span>
                {fieldError(save.error, 'order') && <span className="field-error">{fieldError(save.error, 'order')}</span>}
              </label>
              <label className="field">
                Expiration
                <input type="datetime-local" value={draft.expiresAt} onChange={(e) => set('expiresAt', e.target.value)} />
                <span className="hint">Empty: never expires</span>
                {fieldError(save.error, 'expiresAt') && (
                  <span className="field-error">{fieldError(save.error, 'expiresAt')}</span>
                )}
              </label>
              <label className="row enabled-box">
                <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
              </label>
              <label className="field wide">
                Description
                <textarea rows={1} value={draft.description} onChange={(e) => set('description', e.target.value)} />
              </label>
            </div>
            {saved && (
              <p className="muted small-text">
                Created by {actorLabel(saved.createdBy)} on {formatTime(saved.createdAt)}; last changed by{' '}
                {actorLabel(saved.modifiedBy)} on {formatTime(saved.updatedAt)}.
              </p>
            )}
          </fieldset>
          <ScopePicker
            workspace={workspace}
            value={draft.analyticsRuleIds}
            disabled={!allowed}
            onChange={(ids) => set('analyticsRuleIds', ids)}
          />
          <fieldset className="card" disabled={!allowed}>
            <legend>Conditions</legend>
            <ConditionBuilder
              conditions={draft.conditions}
              trigger={draft.trigger}
              problems={problems}
              disabled={!allowed}
              onChange={(conditions) => set('conditions', conditions)}
            />
          </fieldset>
          <fieldset className="card" disabled={!allowed}>
            <legend>Actions</legend>
            <ActionList
              workspace={workspace}
              actions={draft.actions}
              alertTrigger={draft.trigger === 'alertCreated'}
              problems={problems}
              disabled={!allowed}
              onChange={(actions) => set('actions', actions)}
            />
          </fieldset>
        </form>
        <aside>
          <DryRunPanel workspace={workspace} draft={draft} />
        </aside>
        {saved && <RunHistory workspace={workspace} ruleId={saved.id} />}
      </div>
      {guard.dialog}
    </>
  );
}

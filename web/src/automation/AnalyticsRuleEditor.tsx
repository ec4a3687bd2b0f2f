import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ENTITY_KINDS } from '../../../src/entities/entity-kinds.js';
import { SEVERITIES } from '../../../src/common/enums.js';
import {
  useAnalyticsRule,
  useCreateAnalyticsRule,
  useUpdateAnalyticsRule,
  type AnalyticsRule,
  type AnalyticsRuleInput,
} from '../api/analytics-rules.js';
import { usePlaybookList } from '../api/playbooks.js';
import { can, useMe } from '../api/session.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { fieldError } from '../ui/errors.js';
import { useUnsavedChangesGuard } from '../ui/unsaved-changes.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';
import { GROUPING_LABELS, lookbackText, type Grouping } from './grouping.js';
import { ValuesInput } from './ValuesInput.js';
import './automation.css';

const NEW_RULE: AnalyticsRuleInput & { grouping: Grouping } = {
  name: '',
  description: '',
  severity: 'Medium',
  enabled: true,
  grouping: { mode: 'none', lookbackMinutes: 300, entityKinds: [], customDetailKeys: [], reopenClosed: false },
  playbookIds: [],
};

/** /settings/analytics-rules/:rule ('new' to create): loads the rule, then shows the form. */
export function AnalyticsRuleEditorPage() {
  const workspace = useWorkspaceId();
  const { rule: ruleId } = useParams();
  const isNew = ruleId === 'new';
  const rule = useAnalyticsRule(workspace, isNew ? undefined : ruleId);
  if (!isNew && rule.isPending) return <Loading />;
  if (rule.error) {
    return (
      <div className="page-body">
        <ErrorNotice error={rule.error} what="analytics rule" onRetry={() => void rule.refetch()} />
      </div>
    );
  }
  return <AnalyticsRuleForm key={rule.data?.id ?? 'new'} workspace={workspace} saved={rule.data} />;
}

function AnalyticsRuleForm({ workspace, saved }: { workspace: string; saved?: AnalyticsRule }) {
  const me = useMe();
  const navigate = useNavigate();
  const [form, setForm] = useState(() =>
    saved
      ? {
          name: saved.name,
          description: saved.description,
          severity: saved.severity,
          enabled: saved.enabled,
          grouping: saved.grouping,
          playbookIds: saved.playbookIds,
        }
      : NEW_RULE,
  );
  const [initialText] = useState(() => JSON.stringify(form));
  const guard = useUnsavedChangesGuard(
    JSON.stringify(form) !== initialText,
    saved ? 'this analytics rule' : 'the new analytics rule',
  );
  const playbooks = usePlaybookList(workspace, { trigger: 'alert' });
  const create = useCreateAnalyticsRule(workspace);
  const update = useUpdateAnalyticsRule(workspace);
  const save = saved ? update : create;
  const allowed = can(me.data, workspace, 'rules.write');
  const grouping = form.grouping;
  const setGrouping = (changes: Partial<Grouping>) => setForm((f) => ({ ...f, grouping: { ...f.grouping, ...changes } }));
  const toggle = (list: string[], item: string, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const done = () => {
      guard.release();
      navigate(wsUrl(workspace, '/settings/analytics-rules'));
    };
    if (saved) update.mutate({ rule: saved, changes: form }, { onSuccess: done });
    else create.mutate(form, { onSuccess: done });
  };
  const error = (path: string) => fieldError(save.error, path);
  return (
    <>
      <PageHeader title={saved ? `Analytics rule: ${saved.name}` : 'Create analytics rule'}>
        <Link className="button" to={wsUrl(workspace, '/settings/analytics-rules')}>
          Cancel
        </Link>
        <button type="submit" form="analytics-rule-form" className="primary" disabled={!allowed || save.isPending}>
          {save.isPending ? 'Saving…' : saved ? 'Save changes' : 'Create rule'}
        </button>
      </PageHeader>
      <div className="page-body">
        <form id="analytics-rule-form" className="stack analytics-form" onSubmit={submit} noValidate>
          {!allowed && <p className="notice info">Changing analytics rules needs the Contributor or Owner role.</p>}
          <ErrorNotice error={save.error} what="analytics rule" />
          <fieldset className="card" disabled={!allowed}>
            <legend>Rule</legend>
            <div className="form-grid">
              <label className="field wide">
                Name
                <input value={form.name} maxLength={500} onChange={(e) => setForm({ ...form, name: e.target.value })} />
                {error('name') && <span className="field-error">{error('name')}</span>}
              </label>
              <label className="field">
                Severity
                <select
                  value={form.severity}
                  onChange={(e) => setForm({ ...form, severity: e.target.value as AnalyticsRule['severity'] })}
                >
                  {SEVERITIES.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
                <span className="hint">For alerts that do not state one</span>
              </label>
              <label className="row enabled-box">
                <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} />{' '}
                Enabled
              </label>
              <label className="field wide">
                Description
                <textarea rows={2} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
              </label>
            </div>
            {!form.enabled && (
              <p className="muted small-text">Alerts of a disabled rule are still stored, but open no incidents.</p>
            )}
          </fieldset>
          <fieldset className="card" disabled={!allowed}>
            <legend>Alert grouping</legend>
            <div className="stack">
              {(Object.keys(GROUPING_LABELS) as Grouping['mode'][]).map((mode) => (
                <label key={mode} className="row">
                  <input
                    type="radio"
                    name="grouping-mode"
                    checked={grouping.mode === mode}
                    onChange={() => setGrouping({ mode })}
                  />
                  {GROUPING_LABELS[mode]}
                </label>
              ))}
              {grouping.mode === 'selected' && (
                <div className="stack grouping-selected">
                  <fieldset>
                    <legend>Entity kinds to match</legend>
                    <div className="kind-grid">
                      {ENTITY_KINDS.map((kind) => (
                        <label key={kind} className="row">
                          <input
                            type="checkbox"
                            checked={grouping.entityKinds.includes(kind)}
                            onChange={(e) =>
                              setGrouping({
                                entityKinds: toggle(grouping.entityKinds, kind, e.target.checked) as Grouping['entityKinds'],
                              })
                            }
                          />
                          {kind}
                        </label>
                      ))}
                    </div>
                  </fieldset>
                  <div className="field">
                    <span>Custom details to match</span>
                    <ValuesInput
                      label="Custom detail keys"
                      values={grouping.customDetailKeys}
                      onChange={(customDetailKeys) => setGrouping({ customDetailKeys })}
                    />
                  </div>
                  {grouping.entityKinds.length + grouping.customDetailKeys.length === 0 && (
                    <p className="field-error">Pick at least one entity kind or custom detail to match on.</p>
                  )}
                </div>
              )}
              {grouping.mode !== 'none' && (
                <>
                  <label className="field lookback">
                    Lookback window (minutes)
                    <input
                      type="number"
                      min={5}
                      max={10080}
                      value={grouping.lookbackMinutes}
                      onChange={(e) => setGrouping({ lookbackMinutes: Number(e.target.value) })}
                    />
                    <span className="hint">
                      {lookbackText(grouping.lookbackMinutes)} after the incident's first alert; 5 minutes to 7 days
                    </span>
                    {error('grouping') && <span className="field-error">{error('grouping')}</span>}
                  </label>
                  <label className="row">
                    <input
                      type="checkbox"
                      checked={grouping.reopenClosed}
                      onChange={(e) => setGrouping({ reopenClosed: e.target.checked })}
                    />
                    Re-open a matching closed incident
                  </label>
                </>
              )}
            </div>
          </fieldset>
          <fieldset className="card" disabled={!allowed}>
            <legend>Automated response</legend>
            <p className="muted small-text">Playbooks with the alert trigger, run on each alert this rule raises (at most 10).</p>
            {playbooks.isPending && <Loading />}
            <ErrorNotice error={playbooks.error} onRetry={() => void playbooks.refetch()} />
            {playbooks.data && playbooks.data.items.length === 0 && (
              <p className="muted">No playbooks with the alert trigger yet: create one under Playbooks.</p>
            )}
            <div className="kind-grid">
              {(playbooks.data?.items ?? []).map((p) => (
                <label key={p.id} className="row">
                  <input
                    type="checkbox"
                    checked={form.playbookIds.includes(p.id)}
                    disabled={!form.playbookIds.includes(p.id) && form.playbookIds.length >= 10}
                    onChange={(e) => setForm({ ...form, playbookIds: toggle(form.playbookIds, p.id, e.target.checked) })}
                  />
                  {p.name}
                  {!p.enabled && <span className="muted"> (disabled)</span>}
                </label>
              ))}
            </div>
            {error('playbookIds') && <span className="field-error">{error('playbookIds')}</span>}
          </fieldset>
        </form>
      </div>
      {guard.dialog}
    </>
  );
}

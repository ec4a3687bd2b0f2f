import { useState, type FormEvent } from 'react';
import { GROUPING_MODES } from '../../../../src/analytics-rules/grouping.js';
import { ENTITY_KINDS } from '../../../../src/entities/entity-kinds.js';
import { useUpdateWorkspace, type Grouping, type Workspace } from '../../api/workspaces.js';
import { fieldError } from '../../ui/errors.js';
import { ErrorNotice, SuccessNotice } from '../../ui/feedback.js';
import { ListInput } from '../ListInput.js';

const MODE_TEXT: Record<Grouping['mode'], string> = {
  none: 'One incident per alert',
  allEntities: 'Group alerts whose entities all match',
  selected: 'Group alerts that match on the entity kinds and custom details below',
  anyAlert: 'Group every alert of the same rule',
};

/** The workspace's default alert grouping (for alerts of rules without their own), saved with If-Match. */
export function GroupingForm({ workspace, canEdit }: { workspace: Workspace; canEdit: boolean }) {
  const [grouping, setGrouping] = useState<Grouping>(workspace.settings.defaultGrouping);
  const [saved, setSaved] = useState(false);
  const update = useUpdateWorkspace(workspace.id);
  const set = (changes: Partial<Grouping>) => {
    setSaved(false);
    setGrouping({ ...grouping, ...changes });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ etag: workspace.etag, settings: { defaultGrouping: grouping } }, { onSuccess: () => setSaved(true) });
  };
  const error = (path: string) => fieldError(update.error, `settings.defaultGrouping.${path}`);
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="grouping-title">
      <h2 id="grouping-title">Default alert grouping</h2>
      <p className="settings-intro">
        How alerts become incidents when their analytics rule has no grouping of its own (and for new rules Vigil meets for the
        first time). Alerts of different rules never share an incident.
      </p>
      <fieldset disabled={!canEdit}>
        <legend>Group alerts into incidents</legend>
        <div className="stack" style={{ gap: 6 }}>
          {GROUPING_MODES.map((mode) => (
            <label key={mode} className="row">
              <input type="radio" name="grouping-mode" checked={grouping.mode === mode} onChange={() => set({ mode })} />
              {MODE_TEXT[mode]}
            </label>
          ))}
        </div>
        {error('mode') && <span className="field-error">{error('mode')}</span>}
      </fieldset>
      {grouping.mode === 'selected' && (
        <fieldset disabled={!canEdit}>
          <legend>Match on entity kinds</legend>
          <div className="check-row">
            {ENTITY_KINDS.map((kind) => (
              <label key={kind}>
                <input
                  type="checkbox"
                  checked={grouping.entityKinds.includes(kind)}
                  onChange={(e) =>
                    set({
                      entityKinds: e.target.checked
                        ? [...grouping.entityKinds, kind]
                        : grouping.entityKinds.filter((k) => k !== kind),
                    })
                  }
                />
                {kind}
              </label>
            ))}
          </div>
          <div style={{ marginTop: 10, maxWidth: 480 }}>
            <ListInput
              label="Match on custom detail keys"
              values={grouping.customDetailKeys}
              onChange={(customDetailKeys) => set({ customDetailKeys })}
              error={error('customDetailKeys')}
            />
          </div>
        </fieldset>
      )}
      <div className="row wrap" style={{ alignItems: 'flex-end', gap: 16 }}>
        <label className="field">
          Look back (minutes)
          <input
            type="number"
            min={5}
            max={10080}
            value={grouping.lookbackMinutes}
            disabled={!canEdit || grouping.mode === 'none'}
            onChange={(e) => set({ lookbackMinutes: Number(e.target.value) })}
            style={{ width: 140 }}
          />
          {error('lookbackMinutes') && <span className="field-error">{error('lookbackMinutes')}</span>}
        </label>
        <label className="row">
          <input
            type="checkbox"
            checked={grouping.reopenClosed}
            disabled={!canEdit || grouping.mode === 'none'}
            onChange={(e) => set({ reopenClosed: e.target.checked })}
          />
          Re-open a matching closed incident
        </label>
      </div>
      <ErrorNotice error={update.error} what="workspace" />
      {saved && <SuccessNotice>Default grouping saved.</SuccessNotice>}
      {canEdit && (
        <div className="row">
          <button type="submit" className="primary" disabled={update.isPending}>
            Save grouping
          </button>
        </div>
      )}
    </form>
  );
}

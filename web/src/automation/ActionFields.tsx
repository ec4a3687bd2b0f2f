import { useState } from 'react';
import {
  INCIDENT_STATUSES,
  SEVERITIES,
  type Classification,
  type ClassificationReason,
  type Determination,
} from '../../../src/common/enums.js';
import { useMemberSearch, type Member } from '../api/members.js';
import { usePlaybookList } from '../api/playbooks.js';
import { ClassificationFields } from '../ui/ClassificationFields.js';
import { TypeAhead } from '../ui/TypeAhead.js';
import type { DraftAction } from './draft.js';
import { ValuesInput } from './ValuesInput.js';

interface FieldsProps {
  workspace: string;
  name: string;
  action: DraftAction;
  alertTrigger: boolean;
  invalid: (field: string) => boolean;
  onChange: (action: DraftAction) => void;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

function StatusFields({ name, action, invalid, onChange }: FieldsProps) {
  const classification = str(action.classification) as Classification | '';
  const set = (field: string, value: string) => onChange({ ...action, [field]: value || undefined });
  return (
    <div className="action-fields">
      <label className="field">
        Status
        <select aria-label={`${name} status`} value={str(action.status)} onChange={(e) => set('status', e.target.value)}>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      {action.status === 'Closed' && (
        <>
          <ClassificationFields
            value={{
              classification,
              reason: str(action.classificationReason) as ClassificationReason | '',
              determination: str(action.determination) as Determination | '',
            }}
            onChange={(next) =>
              onChange({
                ...action,
                classification: next.classification || undefined,
                classificationReason: next.reason || undefined,
                determination: next.determination || undefined,
              })
            }
            labels={{
              classification: { text: 'Classification', ariaLabel: `${name} classification` },
              reason: { text: 'Reason', ariaLabel: `${name} classification reason` },
              determination: { text: 'Determination (optional)', ariaLabel: `${name} determination` },
            }}
            noDetermination="None"
            invalid={{ classification: invalid('classification'), reason: invalid('classificationReason') }}
          />
          <label className="field wide">
            Closing comment
            <textarea
              aria-label={`${name} closing comment`}
              aria-invalid={invalid('classificationComment') || undefined}
              rows={2}
              value={str(action.classificationComment)}
              onChange={(e) => set('classificationComment', e.target.value)}
            />
          </label>
        </>
      )}
    </div>
  );
}

function OwnerFields({ workspace, name, action, invalid, onChange }: FieldsProps) {
  const [query, setQuery] = useState('');
  const members = useMemberSearch(workspace, query);
  const owner = action.owner as { type?: string; id?: string; name?: string } | undefined;
  return (
    <div className="action-fields">
      <div className={`field wide${invalid('owner') ? ' invalid' : ''}`}>
        <span>
          Owner: <strong>{owner?.name ?? (owner?.id ? owner.id : 'none chosen')}</strong>
          {owner?.type === 'group' ? ' (group)' : ''}
        </span>
        <TypeAhead<Member>
          label={`${name} owner`}
          query={query}
          onQueryChange={setQuery}
          placeholder="Search people and groups…"
          loading={members.isFetching}
          suggestions={(members.data?.items ?? []).map((m) => ({
            key: `${m.type}:${m.id}`,
            label: m.name,
            hint: m.type === 'group' ? 'group' : (m.email ?? undefined),
            value: m,
          }))}
          onPick={(m) => {
            onChange({ ...action, owner: { type: m.type, id: m.id, name: m.name } });
            setQuery('');
          }}
        />
      </div>
    </div>
  );
}

function PlaybookFields({ workspace, name, action, alertTrigger, invalid, onChange }: FieldsProps) {
  const playbooks = usePlaybookList(workspace, { trigger: alertTrigger ? 'alert' : 'incident' });
  const items = playbooks.data?.items ?? [];
  const chosen = str(action.playbook);
  const match = items.find((p) => p.id === chosen || p.name === chosen);
  return (
    <div className="action-fields">
      <label className="field wide">
        Playbook ({alertTrigger ? 'alert' : 'incident'} trigger)
        <select
          aria-label={`${name} playbook`}
          aria-invalid={invalid('playbook') || undefined}
          value={match?.id ?? chosen}
          onChange={(e) => onChange({ ...action, playbook: e.target.value })}
        >
          <option value="">{playbooks.isPending ? 'Loading playbooks…' : 'Choose a playbook…'}</option>
          {chosen && !match && <option value={chosen}>{chosen} (not found)</option>}
          {items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.enabled ? '' : ' (disabled)'}
            </option>
          ))}
        </select>
        {!playbooks.isPending && items.length === 0 && (
          <span className="hint">
            No playbooks with the {alertTrigger ? 'alert' : 'incident'} trigger yet: create one under Playbooks.
          </span>
        )}
      </label>
    </div>
  );
}

/** The fields of one action, by its type. */
export function ActionFields(props: FieldsProps) {
  const { name, action, invalid, onChange } = props;
  switch (action.type) {
    case 'changeStatus':
      return <StatusFields {...props} />;
    case 'changeSeverity':
      return (
        <div className="action-fields">
          <label className="field">
            Severity
            <select
              aria-label={`${name} severity`}
              value={str(action.severity)}
              onChange={(e) => onChange({ ...action, severity: e.target.value })}
            >
              {SEVERITIES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        </div>
      );
    case 'assignOwner':
      return <OwnerFields {...props} />;
    case 'unassignOwner':
      return <p className="muted action-fields">Removes the incident's owner.</p>;
    case 'addTags':
    case 'removeTags':
      return (
        <div className="action-fields">
          <div className="field wide">
            <span>Tags</span>
            <ValuesInput
              label={`${name} tags`}
              values={(action.tags as string[] | undefined) ?? []}
              invalid={invalid('tags')}
              onChange={(tags) => onChange({ ...action, tags })}
            />
          </div>
        </div>
      );
    case 'addTask':
      return (
        <div className="action-fields">
          <label className="field wide">
            Task title
            <input
              aria-label={`${name} task title`}
              aria-invalid={invalid('title') || undefined}
              maxLength={150}
              value={str(action.title)}
              onChange={(e) => onChange({ ...action, title: e.target.value })}
            />
          </label>
          <label className="field wide">
            Task description (optional, Markdown)
            <textarea
              aria-label={`${name} task description`}
              rows={2}
              value={str(action.description)}
              onChange={(e) => onChange({ ...action, description: e.target.value })}
            />
          </label>
        </div>
      );
    case 'runPlaybook':
      return <PlaybookFields {...props} />;
  }
}

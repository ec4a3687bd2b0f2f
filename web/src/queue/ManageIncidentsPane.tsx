import { useState } from 'react';
import { INCIDENT_STATUSES, REASONS_BY_CLASSIFICATION, SEVERITIES } from '../../../src/common/enums.js';
import { LIMITS } from '../../../src/common/limits.js';
import { useBulkUpdate, type IncidentChanges, type QueueIncident } from '../api/incidents.js';
import type { BulkResult, Classification, ClassificationReason, Determination, IncidentStatus, Severity } from '../api/types.js';
import { ClassificationFields } from '../ui/ClassificationFields.js';
import { SidePane } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/feedback.js';
import { OwnerPicker, type OwnerChoice } from './OwnerPicker.js';
import { TagPicker } from './TagPicker.js';

type BulkChanges = Omit<IncidentChanges, 'title' | 'description' | 'tags'>;

/** The closing fields: classification (required to close), its reason, determination and resolution note. */
interface Closing {
  classification: Classification | '';
  reason: ClassificationReason | '';
  determination: Determination | '';
  note: string;
}

/** What the form would change, or why it cannot be applied yet. */
function changesOf(
  owner: OwnerChoice | undefined,
  severity: Severity | '',
  status: IncidentStatus | '',
  closing: Closing,
  addTags: string[],
  removeTags: string[],
): { changes: BulkChanges; problem?: string } {
  const changes: BulkChanges = {};
  if (owner) changes.owner = owner.owner;
  if (severity) changes.severity = severity;
  if (status) changes.status = status;
  if (status === 'Closed') {
    if (!closing.classification) return { changes, problem: 'Choose a classification to close the incidents.' };
    const reasons = REASONS_BY_CLASSIFICATION[closing.classification];
    if (reasons.length > 1 && !closing.reason) return { changes, problem: 'Choose a classification reason.' };
    changes.classification = closing.classification;
    const reason = closing.reason || (reasons.length === 1 ? reasons[0] : '');
    if (reason) changes.classificationReason = reason;
    if (closing.determination) changes.determination = closing.determination;
    if (closing.note.trim()) changes.classificationComment = closing.note.trim();
  }
  if (addTags.length) changes.addTags = addTags;
  if (removeTags.length) changes.removeTags = removeTags;
  if (Object.keys(changes).length === 0) return { changes, problem: 'Choose at least one change.' };
  return { changes };
}

/**
 * "Manage incidents": the same change to every selected incident — owner, severity, status (with
 * classification when closing), tags to add and remove — in one bulk request. Failures are listed
 * per incident; on full success the pane closes (and the caller clears the selection).
 */
export function ManageIncidentsPane({
  workspace,
  incidents,
  onClose,
  onDone,
}: {
  workspace: string;
  incidents: QueueIncident[];
  onClose: () => void;
  onDone: (result: BulkResult) => void;
}) {
  const bulk = useBulkUpdate(workspace);
  const [owner, setOwner] = useState<OwnerChoice | undefined>();
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [status, setStatus] = useState<IncidentStatus | ''>('');
  const [closing, setClosing] = useState<Closing>({ classification: '', reason: '', determination: '', note: '' });
  const [addTags, setAddTags] = useState<string[]>([]);
  const [removeTags, setRemoveTags] = useState<string[]>([]);
  const [result, setResult] = useState<BulkResult | null>(null);
  const { changes, problem } = changesOf(owner, severity, status, closing, addTags, removeTags);
  const tagsOnSelection = [...new Set(incidents.flatMap((i) => i.tags))].sort();
  const numberOf = new Map(incidents.map((i) => [i.id, i.number]));

  const apply = () => {
    setResult(null);
    bulk.mutate(
      { ids: incidents.map((i) => i.id), changes },
      {
        onSuccess: (answer) => {
          if (answer.failed === 0) onDone(answer);
          else setResult(answer);
        },
      },
    );
  };
  const failures = result?.results.filter((r) => !r.ok) ?? [];
  return (
    <SidePane
      title="Manage incidents"
      onClose={onClose}
      footer={
        <>
          {problem && <span className="muted pane-problem">{problem}</span>}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={apply} disabled={Boolean(problem) || bulk.isPending}>
            {bulk.isPending ? 'Applying…' : `Apply to ${incidents.length}`}
          </button>
        </>
      }
    >
      <p className="muted" style={{ margin: 0 }}>
        {incidents.length} incident{incidents.length === 1 ? '' : 's'} selected:{' '}
        {incidents
          .slice(0, 12)
          .map((i) => `#${i.number}`)
          .join(', ')}
        {incidents.length > 12 ? ` and ${incidents.length - 12} more` : ''}. Fields left alone are not changed.
      </p>
      <div className="field">
        <span className="field-title">Owner</span>
        <OwnerPicker workspace={workspace} value={owner} onChange={setOwner} />
      </div>
      <label className="field">
        Severity
        <select aria-label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
          <option value="">Don't change</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="field">
        Status
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as IncidentStatus | '')}>
          <option value="">Don't change</option>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      {status === 'Closed' && <ClosingFields closing={closing} onChange={setClosing} />}
      <div className="field">
        <span className="field-title">Tags to add</span>
        <TagPicker workspace={workspace} label="Tags to add" values={addTags} onChange={setAddTags} allowNew />
      </div>
      <div className="field">
        <span className="field-title">Tags to remove</span>
        <TagPicker
          workspace={workspace}
          label="Tags to remove"
          values={removeTags}
          onChange={setRemoveTags}
          allowNew={false}
          extra={tagsOnSelection}
        />
      </div>
      <ErrorNotice error={bulk.error} what="incident" />
      {result && failures.length > 0 && (
        <div className="notice error" role="alert">
          {result.failed} of {result.results.length} incidents were not changed
          {result.succeeded > 0 ? ` (the other ${result.succeeded} were)` : ''}:
          <ul>
            {failures.map((f) => (
              <li key={f.id}>
                #{f.number ?? numberOf.get(f.id) ?? f.id}: {f.error?.message ?? 'failed'}
              </li>
            ))}
          </ul>
        </div>
      )}
    </SidePane>
  );
}

/** Classification (required), reason, determination and resolution note, shown when closing. */
function ClosingFields({ closing, onChange }: { closing: Closing; onChange: (closing: Closing) => void }) {
  return (
    <fieldset className="stack">
      <legend>Closing</legend>
      <p className="muted hint-text">As in Sentinel, closing needs a classification; the resolution note is kept with it.</p>
      <ClassificationFields
        value={closing}
        onChange={(next) => onChange({ ...closing, ...next })}
        labels={{
          classification: { text: 'Classification', ariaLabel: 'Classification' },
          reason: { text: 'Classification reason' },
          determination: { text: 'Determination', ariaLabel: 'Determination' },
        }}
        noDetermination="Not set"
        required
        pickOnlyReason
      />
      <label className="field">
        Resolution note
        <span className="hint">Why the incidents are closed; kept as each incident's classification comment.</span>
        <textarea
          rows={4}
          maxLength={LIMITS.commentLength}
          value={closing.note}
          onChange={(e) => onChange({ ...closing, note: e.target.value })}
        />
      </label>
    </fieldset>
  );
}

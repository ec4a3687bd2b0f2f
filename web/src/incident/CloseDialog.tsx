import { useState } from 'react';
import {
  CLASSIFICATIONS,
  DETERMINATIONS_BY_CLASSIFICATION,
  REASONS_BY_CLASSIFICATION,
  type Classification,
} from '../../../src/common/enums.js';
import { LIMITS } from '../../../src/common/limits.js';
import { useUpdateIncident } from '../api/incidents.js';
import type { Incident } from '../api/types.js';
import { Dialog } from '../ui/Dialog.js';
import { fieldError } from '../ui/errors.js';
import { words } from '../ui/format.js';
import { UpdateError } from './UpdateError.js';

const HINTS: Record<Classification, string> = {
  TruePositive: 'A real threat: suspicious activity',
  BenignPositive: 'Real activity, but expected or harmless',
  FalsePositive: 'The detection was wrong',
  Undetermined: 'Not enough to tell',
};

/**
 * Closing an incident: a classification, the reason that goes with it, optionally the determination
 * (Defender's threat or activity type) and a resolution note (optional, as in Sentinel), all sent in one change with the incident's etag.
 */
export function CloseDialog({ workspace, incident, onClose }: { workspace: string; incident: Incident; onClose: () => void }) {
  const update = useUpdateIncident(workspace);
  const [classification, setClassification] = useState<Classification | ''>(incident.classification ?? '');
  const [reason, setReason] = useState<string>(incident.classificationReason ?? '');
  const [determination, setDetermination] = useState<string>(incident.determination ?? '');
  const [note, setNote] = useState(incident.classificationComment ?? '');
  const reasons = classification ? REASONS_BY_CLASSIFICATION[classification] : [];
  const determinations = classification ? DETERMINATIONS_BY_CLASSIFICATION[classification] : [];
  const missing = [
    !classification && 'a classification',
    reasons.length > 0 && !reasons.includes(reason as never) && 'a reason',
  ].filter(Boolean) as string[];
  const choose = (next: Classification) => {
    setClassification(next);
    const nextReasons = REASONS_BY_CLASSIFICATION[next];
    setReason(nextReasons.length === 1 ? nextReasons[0]! : '');
    const nextDeterminations = DETERMINATIONS_BY_CLASSIFICATION[next];
    setDetermination(nextDeterminations.length === 1 ? nextDeterminations[0]! : '');
  };
  const submit = () => {
    if (missing.length > 0 || !classification) return;
    update.mutate(
      {
        incident,
        changes: {
          status: 'Closed',
          classification,
          classificationReason: reasons.length > 0 ? (reason as Incident['classificationReason']) : null,
          // Optional, as in the API (Sentinel has no determination; Defender users record one).
          determination: determinations.includes(determination as never) ? (determination as Incident['determination']) : null,
          // Optional, as in Sentinel and the Manage incidents pane.
          classificationComment: note.trim() || null,
        },
      },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog title={`Close incident #${incident.number}`} onClose={onClose}>
      <form
        className="stack close-form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <fieldset>
          <legend>Classification</legend>
          <div className="classification-choices">
            {CLASSIFICATIONS.map((value) => (
              <label key={value} className={`choice ${classification === value ? 'chosen' : ''}`}>
                <input
                  type="radio"
                  name="classification"
                  value={value}
                  checked={classification === value}
                  onChange={() => choose(value)}
                />
                <span>
                  <strong>{words(value)}</strong>
                  <span className="muted">{HINTS[value]}</span>
                </span>
              </label>
            ))}
          </div>
          {fieldError(update.error, 'classification') && (
            <div className="field-error">{fieldError(update.error, 'classification')}</div>
          )}
        </fieldset>
        <div className="row close-selects">
          {reasons.length > 0 && (
            <label className="field">
              Reason
              <select value={reason} onChange={(event) => setReason(event.target.value)}>
                {reasons.length > 1 && <option value="">Choose a reason…</option>}
                {reasons.map((r) => (
                  <option key={r} value={r}>
                    {words(r)}
                  </option>
                ))}
              </select>
              {fieldError(update.error, 'classificationReason') && (
                <span className="field-error">{fieldError(update.error, 'classificationReason')}</span>
              )}
            </label>
          )}
          <label className="field">
            Determination
            <select value={determination} onChange={(event) => setDetermination(event.target.value)} disabled={!classification}>
              <option value="">{classification ? 'None (optional)' : 'Choose a classification first'}</option>
              {determinations.map((d) => (
                <option key={d} value={d}>
                  {words(d)}
                </option>
              ))}
            </select>
            {fieldError(update.error, 'determination') && (
              <span className="field-error">{fieldError(update.error, 'determination')}</span>
            )}
          </label>
        </div>
        <label className="field">
          Resolution note (optional)
          <textarea
            aria-label="Resolution note"
            rows={4}
            value={note}
            maxLength={LIMITS.commentLength}
            onChange={(event) => setNote(event.target.value)}
          />
          <span className="hint">What was found and what was done; the queue and the PDF export show it.</span>
        </label>
        <UpdateError error={update.error} workspace={workspace} number={incident.number} onDismiss={() => update.reset()} />
        <div className="row">
          {missing.length > 0 && <span className="muted">Still needed: {joinWords(missing)}.</span>}
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={missing.length > 0 || update.isPending}>
            {update.isPending ? 'Closing…' : 'Close incident'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function joinWords(list: string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

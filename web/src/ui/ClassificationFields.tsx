import {
  CLASSIFICATIONS,
  DETERMINATIONS_BY_CLASSIFICATION,
  REASONS_BY_CLASSIFICATION,
  type Classification,
  type ClassificationReason,
  type Determination,
} from '../../../src/common/enums.js';
import { words } from './format.js';

/** The classification chosen when closing incidents; '' while not chosen. */
export interface ClassificationChoice {
  classification: Classification | '';
  reason: ClassificationReason | '';
  determination: Determination | '';
}

/** A field's visible label and, when it differs, its accessible name. */
export interface FieldLabel {
  text: string;
  ariaLabel?: string;
}

/**
 * The closing selects: classification, then the reasons and determinations that fit it
 * (REASONS_BY_CLASSIFICATION, DETERMINATIONS_BY_CLASSIFICATION). Changing the classification clears the others.
 */
export function ClassificationFields({
  value,
  onChange,
  labels,
  noDetermination,
  required,
  pickOnlyReason,
  invalid = {},
}: {
  value: ClassificationChoice;
  onChange: (value: ClassificationChoice) => void;
  labels: { classification: FieldLabel; reason: FieldLabel; determination: FieldLabel };
  /** The determination select's empty option, e.g. "None". */
  noDetermination: string;
  /** The classification must be chosen (the form is only for closing). */
  required?: boolean;
  /** When a classification has a single reason, choose it and offer no empty option. */
  pickOnlyReason?: boolean;
  invalid?: { classification?: boolean; reason?: boolean };
}) {
  const reasons = value.classification ? REASONS_BY_CLASSIFICATION[value.classification] : [];
  const determinations = value.classification ? DETERMINATIONS_BY_CLASSIFICATION[value.classification] : [];
  const chooseClassification = (classification: Classification | '') => {
    const fitting = classification ? REASONS_BY_CLASSIFICATION[classification] : [];
    const reason = pickOnlyReason && fitting.length === 1 ? fitting[0]! : '';
    onChange({ classification, reason, determination: '' });
  };
  return (
    <>
      <label className="field">
        {labels.classification.text}
        <select
          aria-label={labels.classification.ariaLabel}
          aria-invalid={invalid.classification || undefined}
          required={required}
          value={value.classification}
          onChange={(e) => chooseClassification(e.target.value as Classification | '')}
        >
          <option value="">Choose…</option>
          {CLASSIFICATIONS.map((c) => (
            <option key={c} value={c}>
              {words(c)}
            </option>
          ))}
        </select>
      </label>
      {reasons.length > 0 && (
        <label className="field">
          {labels.reason.text}
          <select
            aria-label={labels.reason.ariaLabel}
            aria-invalid={invalid.reason || undefined}
            value={value.reason}
            onChange={(e) => onChange({ ...value, reason: e.target.value as ClassificationReason | '' })}
          >
            {(!pickOnlyReason || reasons.length > 1) && <option value="">Choose…</option>}
            {reasons.map((r) => (
              <option key={r} value={r}>
                {words(r)}
              </option>
            ))}
          </select>
        </label>
      )}
      {determinations.length > 0 && (
        <label className="field">
          {labels.determination.text}
          <select
            aria-label={labels.determination.ariaLabel}
            value={value.determination}
            onChange={(e) => onChange({ ...value, determination: e.target.value as Determination | '' })}
          >
            <option value="">{noDetermination}</option>
            {determinations.map((d) => (
              <option key={d} value={d}>
                {words(d)}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  );
}

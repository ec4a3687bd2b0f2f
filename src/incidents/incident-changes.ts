import type { FieldChange } from '../activity/activity-schemas.js';
import type { Actor } from '../common/actor.js';
import {
  DETERMINATIONS_BY_CLASSIFICATION,
  REASONS_BY_CLASSIFICATION,
  type Classification,
  type ClassificationReason,
  type Determination,
  type IncidentStatus,
  type Severity,
} from '../common/enums.js';
import { LIMITS } from '../common/limits.js';
import { RuleViolationError } from '../errors/errors.js';
import type { Owner, OwnerRef } from '../users/owner.js';
import { removeInsensitive, unionInsensitive, type IncidentRecord } from './incident-model.js';

/** A change to apply, with the owner already resolved to a user or group that exists. */
export interface IncidentChangeSet {
  title?: string;
  description?: string;
  severity?: Severity;
  status?: IncidentStatus;
  owner?: Owner | null;
  classification?: Classification | null;
  classificationReason?: ClassificationReason | null;
  classificationComment?: string | null;
  determination?: Determination | null;
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
  tactics?: string[];
  techniques?: string[];
  firstActivityAt?: number | null;
  lastActivityAt?: number | null;
}

/** What the change does to the incident's alerts (Defender's cascades). */
export interface AlertCascade {
  owner?: OwnerRef | null;
  status?: 'Resolved' | 'New';
}

/** The outcome of applying a change: the new record, the field-level changes, and the cascades. */
export interface AppliedChange {
  next: IncidentRecord;
  changes: FieldChange[];
  cascade: AlertCascade;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const iso = (millis: number | null) => (millis === null ? null : new Date(millis).toISOString());
const violation = (path: string, message: string) => new RuleViolationError(`${path}: ${message}`, [{ path, message }]);

/**
 * Applies a change to an incident, checking the model's rules: closing needs a classification;
 * a classification reason and a determination must fit the classification; at most 100 tags.
 * Pure: the caller writes the result. `currentOwner` is the present owner with its display name.
 */
export function applyIncidentChange(
  current: IncidentRecord,
  currentOwner: Owner | null,
  change: IncidentChangeSet,
  actor: Actor,
  now: number,
): AppliedChange {
  const next: IncidentRecord = { ...current };
  const changes: FieldChange[] = [];
  const cascade: AlertCascade = {};
  const record = (field: string, from: unknown, to: unknown) => changes.push({ field, from, to });

  if (change.title !== undefined && change.title !== current.title) {
    record('title', current.title, change.title);
    next.title = change.title;
    next.titleSource = 'manual';
  } else if (change.title !== undefined && actor.type !== 'system') {
    next.titleSource = 'manual';
  }
  if (change.description !== undefined && change.description !== current.description) {
    record('description', current.description, change.description);
    next.description = change.description;
  }
  if (change.severity !== undefined) {
    if (change.severity !== current.severity) record('severity', current.severity, change.severity);
    next.severity = change.severity;
    // Set explicitly: from now on new alerts no longer raise it.
    if (actor.type !== 'system') next.severitySource = 'manual';
  }
  if (change.owner !== undefined) {
    const to = change.owner;
    const same =
      (to === null && current.owner === null) || (to !== null && current.owner?.type === to.type && current.owner.id === to.id);
    if (!same) {
      record('owner', currentOwner, to);
      next.owner = to ? { type: to.type, id: to.id } : null;
      cascade.owner = next.owner;
    }
  }

  applyClassification(current, next, change, record);
  applyTags(current, next, change, record);

  if (change.tactics !== undefined && !sameList(change.tactics, current.tactics)) {
    record('tactics', current.tactics, change.tactics);
    next.tactics = change.tactics;
  }
  if (change.techniques !== undefined && !sameList(change.techniques, current.techniques)) {
    record('techniques', current.techniques, change.techniques);
    next.techniques = change.techniques;
  }
  if (change.firstActivityAt !== undefined && change.firstActivityAt !== current.firstActivityAt) {
    record('firstActivityTime', iso(current.firstActivityAt), iso(change.firstActivityAt));
    next.firstActivityAt = change.firstActivityAt;
  }
  if (change.lastActivityAt !== undefined && change.lastActivityAt !== current.lastActivityAt) {
    record('lastActivityTime', iso(current.lastActivityAt), iso(change.lastActivityAt));
    next.lastActivityAt = change.lastActivityAt;
  }

  if (change.status !== undefined && change.status !== current.status) {
    if (change.status === 'Closed' && next.classification === null) {
      throw violation(
        'classification',
        'closing an incident requires a classification (TruePositive, BenignPositive, FalsePositive or Undetermined)',
      );
    }
    record('status', current.status, change.status);
    next.status = change.status;
    if (change.status === 'Closed') {
      next.closedAt = now;
      cascade.status = 'Resolved';
    } else if (current.status === 'Closed') {
      next.closedAt = null;
      cascade.status = 'New';
    }
  }
  if (next.status === 'Closed' && next.classification === null) {
    throw violation(
      'classification',
      'a closed incident keeps its classification; re-open it before clearing the classification',
    );
  }

  if (changes.length > 0) {
    next.updatedAt = now;
  }
  return { next, changes, cascade };
}

function applyClassification(
  current: IncidentRecord,
  next: IncidentRecord,
  change: IncidentChangeSet,
  record: (field: string, from: unknown, to: unknown) => void,
): void {
  const classification = change.classification !== undefined ? change.classification : current.classification;
  let reason = change.classificationReason !== undefined ? change.classificationReason : current.classificationReason;
  let determination = change.determination !== undefined ? change.determination : current.determination;

  if (classification === null) {
    if (change.classificationReason) throw violation('classificationReason', 'needs a classification');
    if (change.determination) throw violation('determination', 'needs a classification');
    reason = null;
    determination = null;
  } else {
    const reasons = REASONS_BY_CLASSIFICATION[classification];
    if (reason !== null && !reasons.includes(reason)) {
      if (change.classificationReason !== undefined) {
        throw violation(
          'classificationReason',
          reasons.length === 0
            ? `${classification} takes no reason`
            : `${JSON.stringify(reason)} does not go with ${classification}; use ${reasons.join(' or ')}`,
        );
      }
      reason = null;
    }
    // A classification with a single possible reason implies it (as Sentinel's combined choices do).
    if (reason === null && reasons.length === 1) reason = reasons[0]!;
    const determinations = DETERMINATIONS_BY_CLASSIFICATION[classification];
    if (determination !== null && !determinations.includes(determination)) {
      if (change.determination !== undefined) {
        throw violation(
          'determination',
          `${JSON.stringify(determination)} does not go with ${classification}; use one of ${determinations.join(', ')}`,
        );
      }
      determination = null;
    }
  }

  if (classification !== current.classification) record('classification', current.classification, classification);
  if (reason !== current.classificationReason) record('classificationReason', current.classificationReason, reason);
  if (determination !== current.determination) record('determination', current.determination, determination);
  next.classification = classification;
  next.classificationReason = reason;
  next.determination = determination;

  if (change.classificationComment !== undefined && change.classificationComment !== current.classificationComment) {
    record('classificationComment', current.classificationComment, change.classificationComment);
    next.classificationComment = change.classificationComment;
  }
}

function applyTags(
  current: IncidentRecord,
  next: IncidentRecord,
  change: IncidentChangeSet,
  record: (field: string, from: unknown, to: unknown) => void,
): void {
  let tags = change.tags !== undefined ? unionInsensitive([], change.tags) : current.tags;
  if (change.addTags) tags = unionInsensitive(tags, change.addTags);
  if (change.removeTags) tags = removeInsensitive(tags, change.removeTags);
  if (tags.length > LIMITS.tagsPerIncident) {
    throw violation('tags', `an incident has at most ${LIMITS.tagsPerIncident} tags (this change would give it ${tags.length})`);
  }
  if (!sameList(tags, current.tags)) {
    record('tags', current.tags, tags);
    next.tags = tags;
  }
}

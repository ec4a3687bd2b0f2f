import { insertActivity } from '../activity/activity-repository.js';
import type { Actor } from '../common/actor.js';
import { PreconditionFailedError } from '../errors/errors.js';
import { etagOf } from '../http/schemas.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { describeOwners, ownerKey, resolveOwner, type Owner } from '../users/owner.js';
import { applyIncidentChange, type IncidentChangeSet } from './incident-changes.js';
import type { IncidentAutomation } from './incident-automation.js';
import type { IncidentRecord } from './incident-model.js';
import { cascadeToAlerts, pinSources, updateIncidentRow, updateIncidentTags } from './incident-repository.js';
import type { IncidentPatch } from './incident-schemas.js';

type ChangeInput = Omit<IncidentPatch, 'firstActivityTime' | 'lastActivityTime'> & {
  firstActivityTime?: string | null;
  lastActivityTime?: string | null;
};

/** Turns an API patch into a change set, resolving the owner to a user or group that exists. */
export async function resolveChangeSet(trx: Executor, workspaceId: string, patch: ChangeInput): Promise<IncidentChangeSet> {
  const { owner, firstActivityTime, lastActivityTime, ...rest } = patch;
  const change: IncidentChangeSet = { ...rest };
  if (owner !== undefined) change.owner = owner === null ? null : await resolveOwner(trx, workspaceId, owner);
  if (firstActivityTime !== undefined) change.firstActivityAt = firstActivityTime === null ? null : Date.parse(firstActivityTime);
  if (lastActivityTime !== undefined) change.lastActivityAt = lastActivityTime === null ? null : Date.parse(lastActivityTime);
  return change;
}

/** The current owner with its display name, for the activity entry's "from". */
async function currentOwnerOf(trx: Executor, record: IncidentRecord): Promise<Owner | null> {
  if (!record.owner) return null;
  const owners = await describeOwners(trx, [record.owner]);
  return owners.get(ownerKey(record.owner)) ?? { ...record.owner, name: '(deleted)', email: null };
}

/** The result of changing one incident. */
export interface IncidentUpdateResult {
  record: IncidentRecord;
  changedFields: string[];
}

/**
 * Applies a change to a locked incident inside the caller's transaction: checks the etag, the
 * model's rules, writes the row, its tags, the cascades to its alerts, and one activity entry.
 * A change that changes nothing writes nothing and keeps the etag.
 */
export async function changeIncident(
  trx: Executor,
  dialect: Dialect,
  current: IncidentRecord,
  change: IncidentChangeSet,
  actor: Actor,
  options: { ifMatch?: string; now: number; automation?: IncidentAutomation },
): Promise<IncidentUpdateResult> {
  if (options.ifMatch !== undefined && options.ifMatch !== String(current.version)) {
    throw new PreconditionFailedError(
      `Incident ${current.number} was changed by someone else (your etag "${options.ifMatch}", current ${etagOf(current.version)}); reload it and try again`,
      { currentEtag: etagOf(current.version) },
    );
  }
  const currentOwner = change.owner !== undefined ? await currentOwnerOf(trx, current) : null;
  const { next, changes, cascade } = applyIncidentChange(current, currentOwner, change, actor, options.now);
  if (changes.length === 0) {
    // Sending the current title or severity still means a person chose it: pin it against alerts.
    // Nothing visible changed, so the etag stays and no activity is recorded.
    if (next.titleSource !== current.titleSource || next.severitySource !== current.severitySource) {
      await pinSources(trx, next);
      return { record: { ...current, titleSource: next.titleSource, severitySource: next.severitySource }, changedFields: [] };
    }
    return { record: current, changedFields: [] };
  }
  next.version = current.version + 1;
  const written = await updateIncidentRow(trx, dialect, next, current);
  if (!written) {
    throw new PreconditionFailedError(`Incident ${current.number} was changed by someone else; reload it and try again`);
  }
  const fields = changes.map((c) => c.field);
  if (fields.includes('tags')) await updateIncidentTags(trx, dialect, current, next, 'custom');
  await cascadeToAlerts(trx, next.workspaceId, next.id, cascade, options.now);
  await insertActivity(trx, dialect, [
    { workspaceId: next.workspaceId, incidentId: next.id, action: 'incidentUpdated', actor, changes, at: options.now },
  ]);
  // Incident-updated automation rules run inside this same transaction.
  const final = options.automation
    ? await options.automation.updated(trx, next, { action: 'incidentUpdated', actor, changes }, { now: options.now })
    : next;
  return { record: final, changedFields: fields };
}

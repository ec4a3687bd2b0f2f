import { insertActivity } from '../activity/activity-repository.js';
import type { FieldChange } from '../activity/activity-schemas.js';
import { requirePermission, type Access } from '../auth/permissions.js';
import { AppError, NotFoundError } from '../errors/errors.js';
import { newId } from '../ids/ids.js';
import { parseTime } from '../http/cursor.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { findUserByEmail } from '../users/user-repository.js';
import { describeOwners, type Owner } from '../users/owner.js';
import { applyIncidentChange } from './incident-changes.js';
import type { IncidentRecord } from './incident-model.js';
import { countIncidents, queryIncidentPage, type QueueFilter } from './incident-queue.js';
import {
  allocateIncidentNumbers,
  findIncident,
  findIncidentsByIds,
  insertIncidents,
  listTagsInUse,
  parseIncidentRef,
} from './incident-repository.js';
import type {
  BulkUpdate,
  Incident,
  IncidentCounts,
  IncidentCreate,
  IncidentFilter,
  IncidentListQuery,
  IncidentPatch,
} from './incident-schemas.js';
import { NO_AUTOMATION, type IncidentAutomation } from './incident-automation.js';
import { changeIncident, resolveChangeSet } from './incident-update.js';
import { toIncident } from './incident-view.js';

/**
 * Reads an owner filter: user or group ids, user emails, `me` and `unassigned` (used by the queue
 * and by reports).
 */
export async function resolveOwnerFilter(
  db: Executor,
  access: Access,
  owners: string[],
): Promise<{ ownerIds: string[]; includeUnassigned: boolean }> {
  const ownerIds: string[] = [];
  let includeUnassigned = false;
  for (const owner of owners) {
    if (owner.toLowerCase() === 'unassigned') includeUnassigned = true;
    else if (owner.toLowerCase() === 'me') ownerIds.push(access.user?.id ?? '');
    else if (owner.includes('@')) ownerIds.push((await findUserByEmail(db, owner))?.id ?? owner);
    else ownerIds.push(owner);
  }
  return { ownerIds, includeUnassigned };
}

const NO_EXTRAS = { entities: [], customDetails: [], alertTitles: [] };

/** What the incident service needs. */
export interface IncidentServiceDeps {
  storage: Storage;
  publicUrl: string;
  now?: () => number;
  automation?: IncidentAutomation;
}

/** Incidents: the queue, one incident, manual creation, updates (single and bulk), tags in use. */
export type IncidentService = ReturnType<typeof createIncidentService>;

/** Builds the incident service. */
export function createIncidentService({ storage, publicUrl, now = Date.now, automation = NO_AUTOMATION }: IncidentServiceDeps) {
  const { db, dialect } = storage;

  async function present(records: IncidentRecord[], executor: Executor = db): Promise<Incident[]> {
    const owners = await describeOwners(
      executor,
      records.flatMap((r) => (r.owner ? [r.owner] : [])),
    );
    return records.map((r) => toIncident(r, owners, publicUrl));
  }

  async function toQueueFilter(
    access: Access,
    filter: IncidentFilter,
    workspaceIds = [access.workspaceId!],
  ): Promise<QueueFilter> {
    const { ownerIds, includeUnassigned } = await resolveOwnerFilter(db, access, filter.owner ?? []);
    return {
      workspaceIds,
      statuses: filter.status,
      severities: filter.severity,
      ownerIds,
      includeUnassigned,
      tags: filter.tag,
      classifications: filter.classification,
      products: filter.product,
      analyticsRuleIds: filter.analyticsRule,
      createdFrom: parseTime(filter.createdFrom),
      createdTo: parseTime(filter.createdTo),
      updatedFrom: parseTime(filter.updatedFrom),
      updatedTo: parseTime(filter.updatedTo),
      text: filter.q,
      hasOpenTasks: filter.hasOpenTasks,
    };
  }

  async function requireIncident(access: Access, ref: string): Promise<IncidentRecord> {
    const record = await findIncident(db, access.workspaceId!, ref);
    if (!record) throw new NotFoundError(`Incident ${ref} not found in workspace ${access.workspaceId}`);
    return record;
  }

  /** The same change inside the caller's transaction (playbook actions record their step with it). */
  async function updateWithin(
    trx: Executor,
    access: Access,
    ref: string,
    patch: IncidentPatch,
    ifMatch?: string,
  ): Promise<IncidentRecord> {
    requirePermission(access, 'incidents.write');
    const current = await findIncident(trx, access.workspaceId!, ref, dialect);
    if (!current) throw new NotFoundError(`Incident ${ref} not found in workspace ${access.workspaceId}`);
    const change = await resolveChangeSet(trx, access.workspaceId!, patch);
    return (await changeIncident(trx, dialect, current, change, access.actor, { ifMatch, now: now(), automation })).record;
  }

  return {
    /** Reads one incident by id or number. */
    async get(access: Access, ref: string): Promise<Incident> {
      requirePermission(access, 'incidents.read');
      const [incident] = await present([await requireIncident(access, ref)]);
      return incident!;
    },

    /** Incidents as the API shows them, by id, read through the caller's executor (for event payloads). */
    async describe(executor: Executor, workspaceId: string, ids: string[]): Promise<Map<string, Incident>> {
      const incidents = await present(await findIncidentsByIds(executor, workspaceId, [...new Set(ids)]), executor);
      return new Map(incidents.map((i) => [i.id, i]));
    },

    /** Resolves an incident reference to its record (for other modules' routes). */
    async resolve(access: Access, ref: string): Promise<IncidentRecord> {
      requirePermission(access, 'incidents.read');
      return requireIncident(access, ref);
    },

    /** A page of the incident queue. */
    async list(access: Access, query: IncidentListQuery): Promise<{ items: Incident[]; nextCursor: string | null }> {
      requirePermission(access, 'incidents.read');
      const filter = await toQueueFilter(access, query);
      const { records, nextCursor } = await queryIncidentPage(db, dialect, filter, query);
      return { items: await present(records), nextCursor };
    },

    /**
     * The queue across several workspaces (for people in several, e.g. an MSSP's analysts): the
     * caller passes the workspaces they may read; each incident is labelled with its workspace.
     */
    async listAcross(
      access: Access,
      workspaces: { id: string; name: string }[],
      query: IncidentListQuery,
    ): Promise<{ items: (Incident & { workspace: { id: string; name: string } })[]; nextCursor: string | null }> {
      if (workspaces.length === 0) return { items: [], nextCursor: null };
      const names = new Map(workspaces.map((w) => [w.id, w.name]));
      const filter = await toQueueFilter(access, query, [...names.keys()]);
      const { records, nextCursor } = await queryIncidentPage(db, dialect, filter, query);
      const items = await present(records);
      return {
        items: items.map((incident, i) => ({
          ...incident,
          workspace: { id: records[i]!.workspaceId, name: names.get(records[i]!.workspaceId)! },
        })),
        nextCursor,
      };
    },

    /** Counts by status and severity across several workspaces. */
    async countsAcross(access: Access, workspaceIds: string[], filter: IncidentFilter): Promise<IncidentCounts> {
      if (workspaceIds.length === 0) {
        return {
          total: 0,
          byStatus: { New: 0, Active: 0, Closed: 0 },
          bySeverity: { High: 0, Medium: 0, Low: 0, Informational: 0 },
        };
      }
      return countIncidents(db, dialect, await toQueueFilter(access, filter, workspaceIds));
    },

    /** Counts by status and severity for the queue's filters. */
    async counts(access: Access, filter: IncidentFilter): Promise<IncidentCounts> {
      requirePermission(access, 'incidents.read');
      return countIncidents(db, dialect, await toQueueFilter(access, filter));
    },

    /** Tags in use in the workspace, for type-ahead. */
    async tags(access: Access, options: { prefix?: string; limit: number }) {
      requirePermission(access, 'incidents.read');
      return listTagsInUse(db, access.workspaceId!, options);
    },

    /** Creates an incident by hand (not from alerts). */
    async create(access: Access, input: IncidentCreate): Promise<Incident> {
      requirePermission(access, 'incidents.write');
      const at = now();
      const record = await db.transaction().execute(async (trx) => {
        const change = await resolveChangeSet(trx, access.workspaceId!, {
          owner: input.owner,
          classification: input.classification,
          classificationReason: input.classificationReason,
          classificationComment: input.classificationComment,
          determination: input.determination,
          status: input.status,
        });
        const blank: IncidentRecord = {
          workspaceId: access.workspaceId!,
          id: newId(at),
          number: 0,
          title: input.title,
          titleSource: 'manual',
          description: input.description,
          severity: input.severity,
          severitySource: 'manual',
          status: 'New',
          owner: null,
          classification: null,
          classificationReason: null,
          classificationComment: null,
          determination: null,
          tags: [],
          systemTags: [],
          tactics: input.tactics,
          techniques: input.techniques,
          productNames: [],
          analyticsRuleIds: [],
          firstActivityAt: parseTime(input.firstActivityTime) ?? null,
          lastActivityAt: parseTime(input.lastActivityTime) ?? null,
          alertCount: 0,
          commentCount: 0,
          taskCount: 0,
          taskCompletedCount: 0,
          groupingKey: null,
          groupingWindowStart: null,
          createdBy: access.actor,
          createdAt: at,
          updatedAt: at,
          closedAt: null,
          version: 1,
        };
        // Same rules as an update (closing needs a classification, reasons must fit).
        const { next } = applyIncidentChange(blank, null, { ...change, addTags: input.tags }, access.actor, at);
        next.number = await allocateIncidentNumbers(trx, access.workspaceId!, 1);
        next.version = 1;
        const creation = creationChanges(next, change.owner ?? null);
        // Incident-created automation rules shape the incident before anyone can see it.
        const { records, persist } = await automation.created(trx, access.workspaceId!, [{ record: next, extras: NO_EXTRAS }], {
          now: at,
        });
        const created = records[0]!;
        await insertIncidents(trx, dialect, [created]);
        await insertActivity(trx, dialect, [
          {
            workspaceId: created.workspaceId,
            incidentId: created.id,
            action: 'incidentCreated',
            actor: access.actor,
            changes: creation,
            at,
          },
        ]);
        await persist();
        return created;
      });
      const [incident] = await present([record]);
      return incident!;
    },

    /** Changes one incident; `ifMatch` is the etag the caller last saw (412 if stale). */
    async update(access: Access, ref: string, patch: IncidentPatch, ifMatch?: string): Promise<Incident> {
      const record = await db.transaction().execute((trx) => updateWithin(trx, access, ref, patch, ifMatch));
      const [incident] = await present([record]);
      return incident!;
    },

    updateWithin,

    /** Incident records as the API shows them (owner names resolved), read through the given executor. */
    present,

    /** Applies the same change to up to 1,000 incidents; one result per incident, failures do not stop the others. */
    async bulkUpdate(access: Access, input: BulkUpdate) {
      requirePermission(access, 'incidents.write');
      const at = now();
      return db.transaction().execute(async (trx) => {
        const change = await resolveChangeSet(trx, access.workspaceId!, input.changes);
        const refs = input.ids.map((id) => ({ input: String(id), key: parseIncidentRef(id) }));
        const numbers = refs.flatMap((r) => ('number' in r.key ? [r.key.number] : []));
        const byNumber = new Map<number, string>();
        if (numbers.length) {
          const rows = await trx
            .selectFrom('incidents')
            .select(['id', 'number'])
            .where('workspace_id', '=', access.workspaceId!)
            .where('number', 'in', numbers)
            .execute();
          for (const row of rows) byNumber.set(row.number, row.id);
        }
        const ids = refs.map((r) => ('id' in r.key ? r.key.id : (byNumber.get(r.key.number) ?? '')));
        const records = new Map(
          (await findIncidentsByIds(trx, access.workspaceId!, [...new Set(ids.filter(Boolean))], dialect)).map((r) => [r.id, r]),
        );
        const results = [];
        for (const [index, ref] of refs.entries()) {
          const current = records.get(ids[index]!);
          if (!current) {
            results.push({
              id: ref.input,
              number: null,
              ok: false,
              error: { code: 'not_found', message: `Incident ${ref.input} not found` },
            });
            continue;
          }
          try {
            const { record, changedFields } = await changeIncident(trx, dialect, current, change, access.actor, {
              now: at,
              automation,
            });
            records.set(record.id, record);
            results.push({ id: record.id, number: record.number, ok: true, etag: `"${record.version}"`, changed: changedFields });
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            results.push({
              id: current.id,
              number: current.number,
              ok: false,
              error: { code: error.code, message: error.message },
            });
          }
        }
        const succeeded = results.filter((r) => r.ok).length;
        return { results, succeeded, failed: results.length - succeeded };
      });
    },
  };
}

/** The fields a new incident starts with, as "changes" from nothing, for its first activity entry. */
function creationChanges(record: IncidentRecord, owner: Owner | null): FieldChange[] {
  const changes: FieldChange[] = [
    { field: 'title', from: null, to: record.title },
    { field: 'severity', from: null, to: record.severity },
    { field: 'status', from: null, to: record.status },
  ];
  if (owner) changes.push({ field: 'owner', from: null, to: owner });
  if (record.tags.length) changes.push({ field: 'tags', from: [], to: record.tags });
  if (record.classification) changes.push({ field: 'classification', from: null, to: record.classification });
  if (record.classificationComment)
    changes.push({ field: 'classificationComment', from: null, to: record.classificationComment });
  return changes;
}

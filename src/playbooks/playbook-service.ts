import { requirePermission, type Access } from '../auth/permissions.js';
import { ConflictError, NotFoundError, PreconditionFailedError, RuleViolationError } from '../errors/errors.js';
import { decodeCursor, encodeCursor, isoTime } from '../http/cursor.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import type { ActionCatalog } from './action-catalog.js';
import type { PlaybookDefinition } from './definition/definition-types.js';
import {
  findPlaybook,
  findVersion,
  listPlaybookRecords,
  listVersions,
  playbookToRow,
  updatePlaybookRow,
  type PlaybookRecord,
} from './playbook-repository.js';
import type { Playbook, PlaybookDetail, PlaybookListQuery, PlaybookSource } from './playbook-schemas.js';
import { checkPlaybook, nextScheduledRun, type ConnectionLookup } from './playbook-validation.js';
import { toDetail, toPlaybook } from './playbook-views.js';
import { insertVersion, invalidPlaybook, issueWebhook, rulesUsing } from './playbook-writes.js';

/** Playbooks: versioned definitions, enabled or not, with their triggers. */
export type PlaybookService = ReturnType<typeof createPlaybookService>;

/** Builds the playbook service. */
export function createPlaybookService({
  storage,
  now = Date.now,
  catalog,
  connections,
  publicUrl,
}: {
  storage: Storage;
  now?: () => number;
  catalog: ActionCatalog;
  connections: ConnectionLookup;
  publicUrl: string;
}) {
  const { db } = storage;

  async function requirePlaybook(executor: Executor, access: Access, ref: string): Promise<PlaybookRecord> {
    const found = await findPlaybook(executor, access.workspaceId!, ref);
    if (!found) throw new NotFoundError(`Playbook ${ref} not found in workspace ${access.workspaceId}`);
    return found;
  }

  /** The record fields a definition decides: name, description, trigger, schedule. */
  function fromDefinition(d: PlaybookDefinition, enabled: boolean, at: number) {
    const schedule = d.trigger.type === 'schedule' ? d.trigger : null;
    return {
      name: d.name,
      description: d.description,
      enabled,
      triggerKind: d.trigger.type,
      valid: true,
      scheduleCron: schedule?.cron ?? null,
      scheduleTimezone: schedule?.timezone ?? null,
      nextRunAt: schedule && enabled ? nextScheduledRun(schedule.cron, schedule.timezone, at) : null,
    };
  }

  async function detail(p: PlaybookRecord, webhookUrl: string | null = null): Promise<PlaybookDetail> {
    const version = await findVersion(db, p.workspaceId, p.id, p.currentVersion);
    return {
      ...toPlaybook(p),
      source: version?.source ?? '',
      format: version?.format ?? 'yaml',
      definition: (version?.definition ?? {}) as unknown as Record<string, unknown>,
      webhook: p.triggerKind === 'webhook' ? { url: webhookUrl } : null,
    };
  }

  async function checkName(trx: Executor, workspaceId: string, name: string, id: string | null): Promise<void> {
    const other = await findPlaybook(trx, workspaceId, name);
    if (other && other.id !== id)
      throw new ConflictError(`A playbook named ${JSON.stringify(name)} already exists in workspace ${workspaceId}`);
  }

  return {
    /** A page of playbooks by name, with their run counts and last run. */
    async list(access: Access, query: PlaybookListQuery) {
      requirePermission(access, 'playbooks.read');
      const after = query.cursor ? (decodeCursor(query.cursor, 2) as [string, string]) : undefined;
      const rows = await listPlaybookRecords(db, access.workspaceId!, { ...query, afterName: after });
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toPlaybook),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.name.trim().toLowerCase(), last.id]) : null,
      };
    },

    /** One playbook with its current source and definition. */
    async get(access: Access, ref: string): Promise<PlaybookDetail> {
      requirePermission(access, 'playbooks.read');
      return detail(await requirePlaybook(db, access, ref));
    },

    /** Checks a definition without saving it: every problem, with its path (and line). */
    async validate(access: Access, body: PlaybookSource) {
      requirePermission(access, 'playbooks.read');
      const checked = await checkPlaybook(db, access.workspaceId!, body, catalog, connections);
      return {
        valid: checked.problems.length === 0,
        problems: checked.problems,
        definition: checked.definition as Record<string, unknown> | null,
      };
    },

    /** Creates a playbook (version 1). A definition with problems is refused with all of them. */
    async create(access: Access, body: PlaybookSource): Promise<PlaybookDetail> {
      requirePermission(access, 'playbooks.write');
      const at = now();
      return db.transaction().execute(async (trx) => {
        const checked = await checkPlaybook(trx, access.workspaceId!, body, catalog, connections);
        if (checked.problems.length > 0 || !checked.definition) throw invalidPlaybook(checked);
        const d = checked.definition;
        await checkName(trx, access.workspaceId!, d.name, null);
        const record: PlaybookRecord = {
          workspaceId: access.workspaceId!,
          id: newId(at),
          ...fromDefinition(d, d.enabled, at),
          currentVersion: 1,
          runsTotal: 0,
          runsSucceeded: 0,
          runsFailed: 0,
          lastRunId: null,
          lastRunStatus: null,
          lastRunAt: null,
          createdBy: access.actor,
          modifiedBy: access.actor,
          createdAt: at,
          updatedAt: at,
          version: 1,
        };
        await trx.insertInto('playbooks').values(playbookToRow(record)).execute();
        await insertVersion(trx, record, checked, access.actor, at);
        const url = record.triggerKind === 'webhook' ? await issueWebhook(trx, record, at, publicUrl) : null;
        return { ...toDetail(record, checked), webhook: record.triggerKind === 'webhook' ? { url } : null };
      });
    },

    /**
     * Saves a new version. The playbook stays enabled or disabled as it was unless the document
     * sets `enabled` itself. Runs already started keep their version.
     */
    async update(access: Access, ref: string, body: PlaybookSource, ifMatch?: string): Promise<PlaybookDetail> {
      requirePermission(access, 'playbooks.write');
      const at = now();
      return db.transaction().execute(async (trx) => {
        const current = await requirePlaybook(trx, access, ref);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) {
          throw new PreconditionFailedError(`Playbook ${current.name} was changed by someone else; reload it and try again`);
        }
        const checked = await checkPlaybook(trx, current.workspaceId, body, catalog, connections);
        if (checked.problems.length > 0 || !checked.definition) throw invalidPlaybook(checked);
        await checkName(trx, current.workspaceId, checked.definition.name, current.id);
        const next: PlaybookRecord = {
          ...current,
          ...fromDefinition(checked.definition, checked.enabledGiven ? checked.definition.enabled : current.enabled, at),
          currentVersion: current.currentVersion + 1,
          modifiedBy: access.actor,
          updatedAt: at,
          version: current.version + 1,
        };
        if (!(await updatePlaybookRow(trx, next, current.version))) {
          throw new PreconditionFailedError(`Playbook ${current.name} was changed by someone else; reload it and try again`);
        }
        await insertVersion(trx, next, checked, access.actor, at);
        const url =
          next.triggerKind === 'webhook' && current.triggerKind !== 'webhook'
            ? await issueWebhook(trx, next, at, publicUrl)
            : null;
        return { ...toDetail(next, checked), webhook: next.triggerKind === 'webhook' ? { url } : null };
      });
    },

    /** Enables or disables a playbook (a PlaybookOperator may); enabling re-checks it against the workspace. */
    async setEnabled(access: Access, ref: string, enabled: boolean, ifMatch?: string): Promise<Playbook> {
      requirePermission(access, 'playbooks.toggle');
      const at = now();
      return db.transaction().execute(async (trx) => {
        const current = await requirePlaybook(trx, access, ref);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) {
          throw new PreconditionFailedError(`Playbook ${current.name} was changed by someone else; reload it and try again`);
        }
        if (enabled) {
          const version = await findVersion(trx, current.workspaceId, current.id, current.currentVersion);
          const checked = await checkPlaybook(trx, current.workspaceId, { source: version?.source ?? '' }, catalog, connections);
          if (checked.problems.length > 0) {
            throw new RuleViolationError(
              `Playbook ${current.name} cannot be enabled: ${checked.problems[0]!.path}: ${checked.problems[0]!.message}`,
              checked.problems,
            );
          }
        }
        const schedule =
          current.scheduleCron && enabled ? nextScheduledRun(current.scheduleCron, current.scheduleTimezone ?? 'UTC', at) : null;
        const next = {
          ...current,
          enabled,
          nextRunAt: schedule,
          modifiedBy: access.actor,
          updatedAt: at,
          version: current.version + 1,
        };
        if (!(await updatePlaybookRow(trx, next, current.version))) {
          throw new PreconditionFailedError(`Playbook ${current.name} was changed by someone else; reload it and try again`);
        }
        return toPlaybook(next);
      });
    },

    /** Deletes a playbook with no run in progress; its past runs stay in the history. */
    async remove(access: Access, ref: string): Promise<void> {
      requirePermission(access, 'playbooks.write');
      await db.transaction().execute(async (trx) => {
        const current = await requirePlaybook(trx, access, ref);
        const active = await trx
          .selectFrom('playbook_runs')
          .select('id')
          .where('workspace_id', '=', current.workspaceId)
          .where('playbook_id', '=', current.id)
          .where('status', 'in', ['queued', 'running', 'waiting'])
          .limit(1)
          .executeTakeFirst();
        if (active)
          throw new ConflictError(`Playbook ${current.name} has runs in progress; cancel them (or wait) before deleting it`);
        const users = await rulesUsing(trx, current);
        if (users.length > 0)
          throw new ConflictError(
            `Playbook ${current.name} is run by ${users.join(', ')}; remove it from there before deleting it`,
          );
        for (const table of ['playbook_webhooks', 'playbook_versions'] as const) {
          await trx
            .deleteFrom(table)
            .where('workspace_id', '=', current.workspaceId)
            .where('playbook_id', '=', current.id)
            .execute();
        }
        await trx.deleteFrom('playbooks').where('workspace_id', '=', current.workspaceId).where('id', '=', current.id).execute();
      });
    },

    /** A playbook's versions, newest first. */
    async versions(access: Access, ref: string) {
      requirePermission(access, 'playbooks.read');
      const p = await requirePlaybook(db, access, ref);
      const rows = await listVersions(db, p.workspaceId, p.id);
      return rows.map((r) => ({
        version: r.version,
        format: r.format as 'yaml' | 'json',
        createdBy: JSON.parse(r.created_by),
        createdAt: isoTime(r.created_at),
      }));
    },

    /** One version with its source. */
    async version(access: Access, ref: string, n: number) {
      requirePermission(access, 'playbooks.read');
      const p = await requirePlaybook(db, access, ref);
      const v = await findVersion(db, p.workspaceId, p.id, n);
      if (!v) throw new NotFoundError(`Playbook ${p.name} has no version ${n}`);
      return { version: v.version, format: v.format, source: v.source, createdBy: v.createdBy, createdAt: isoTime(v.createdAt) };
    },

    /** Makes a new secret webhook URL for a webhook playbook (the old one stops working). */
    async rotateWebhook(access: Access, ref: string): Promise<{ url: string }> {
      requirePermission(access, 'playbooks.write');
      return db.transaction().execute(async (trx) => {
        const p = await requirePlaybook(trx, access, ref);
        if (p.triggerKind !== 'webhook')
          throw new RuleViolationError(`Playbook ${p.name} is not triggered by a webhook (its trigger is ${p.triggerKind})`);
        return { url: await issueWebhook(trx, p, now(), publicUrl) };
      });
    },

    /** Finds a playbook (for the run service). */
    requirePlaybook,

    /** A playbook by id or name, for filters. */
    async resolve(access: Access, ref: string): Promise<PlaybookRecord> {
      requirePermission(access, 'playbooks.read');
      return requirePlaybook(db, access, ref);
    },
  };
}

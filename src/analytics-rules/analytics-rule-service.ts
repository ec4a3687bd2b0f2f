import { requirePermission, type Access } from '../auth/permissions.js';
import { ConflictError, InputError, NotFoundError, PreconditionFailedError } from '../errors/errors.js';
import { decodeCursor, encodeCursor, isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import {
  findRuleById,
  findRulesByKeys,
  insertRules,
  listRules,
  updateRuleRow,
  type AnalyticsRuleRecord,
} from './analytics-rule-repository.js';
import type { AnalyticsRule, AnalyticsRuleCreate, AnalyticsRulePatch } from './analytics-rule-schemas.js';
import { DEFAULT_GROUPING, mergeGrouping } from './grouping.js';

/** An analytics rule as the API returns it. */
export function toAnalyticsRule(rule: AnalyticsRuleRecord): AnalyticsRule {
  return {
    id: rule.id,
    externalId: rule.externalId,
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    enabled: rule.enabled,
    tactics: rule.tactics,
    techniques: rule.techniques,
    createsIncidents: rule.createsIncidents,
    grouping: rule.grouping,
    playbookIds: rule.playbookIds,
    origin: rule.origin,
    createdAt: isoTime(rule.createdAt),
    updatedAt: isoTime(rule.updatedAt),
    etag: etagOf(rule.version),
  };
}

/** Analytics rules: the detections alerts come from, and how their alerts are grouped into incidents. */
export type AnalyticsRuleService = ReturnType<typeof createAnalyticsRuleService>;

/** Checks that playbook ids name alert-trigger playbooks of the workspace (the playbooks module answers). */
export type AlertPlaybookCheck = (db: Executor, workspaceId: string, ids: string[]) => Promise<void>;

/** Builds the analytics rule service. */
export function createAnalyticsRuleService({
  storage,
  now = Date.now,
  checkPlaybooks = async () => {},
}: {
  storage: Storage;
  now?: () => number;
  checkPlaybooks?: AlertPlaybookCheck;
}) {
  const { db, dialect } = storage;

  async function requireRule(access: Access, id: string) {
    const rule = await findRuleById(db, access.workspaceId!, id);
    if (!rule) throw new NotFoundError(`Analytics rule ${id} not found in workspace ${access.workspaceId}`);
    return rule;
  }

  return {
    /** Lists rules by name. */
    async list(access: Access, query: { q?: string; enabled?: boolean; limit: number; cursor?: string }) {
      requirePermission(access, 'rules.read');
      const after = query.cursor ? (decodeCursor(query.cursor, 2) as [string, string]) : undefined;
      const rows = await listRules(db, dialect, access.workspaceId!, {
        text: query.q,
        enabled: query.enabled,
        afterName: after?.[0],
        afterId: after?.[1],
        limit: query.limit,
      });
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toAnalyticsRule),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.name.trim().toLowerCase(), last.id]) : null,
      };
    },

    /** Reads one rule. */
    async get(access: Access, id: string) {
      requirePermission(access, 'rules.read');
      return toAnalyticsRule(await requireRule(access, id));
    },

    /** Creates a rule; its externalId, if given, must be new in the workspace. */
    async create(access: Access, input: AnalyticsRuleCreate) {
      requirePermission(access, 'rules.write');
      const at = now();
      const rule: AnalyticsRuleRecord = {
        workspaceId: access.workspaceId!,
        id: newId(at),
        externalId: input.externalId ?? null,
        name: input.name,
        description: input.description,
        severity: input.severity,
        enabled: input.enabled,
        tactics: input.tactics,
        techniques: input.techniques,
        createsIncidents: input.createsIncidents,
        grouping: input.grouping ?? DEFAULT_GROUPING,
        playbookIds: [...new Set(input.playbookIds)],
        origin: 'manual',
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      await db.transaction().execute(async (trx) => {
        await checkPlaybooks(trx, rule.workspaceId, rule.playbookIds);
        if (rule.externalId && (await findRulesByKeys(trx, rule.workspaceId, [rule.externalId], [])).length > 0) {
          throw new ConflictError(`An analytics rule with externalId ${JSON.stringify(rule.externalId)} already exists`);
        }
        await insertRules(trx, dialect, [rule]);
      });
      return toAnalyticsRule(rule);
    },

    /** Changes a rule (If-Match etag optional; 412 when stale). */
    async update(access: Access, id: string, patch: AnalyticsRulePatch, ifMatch?: string) {
      requirePermission(access, 'rules.write');
      const updated = await db.transaction().execute(async (trx) => {
        const current = await findRuleById(trx, access.workspaceId!, id);
        if (!current) throw new NotFoundError(`Analytics rule ${id} not found in workspace ${access.workspaceId}`);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) {
          throw new PreconditionFailedError(`Analytics rule ${id} was changed by someone else; reload it and try again`);
        }
        const { grouping: groupingPatch, ...fields } = patch;
        const grouping = groupingPatch ? mergeGrouping(current.grouping, groupingPatch) : current.grouping;
        if (!grouping) {
          throw new InputError('grouping.mode "selected" needs at least one entity kind or custom detail key to match on', [
            { path: 'grouping.mode', message: 'mode "selected" needs entityKinds or customDetailKeys' },
          ]);
        }
        if (fields.playbookIds) {
          fields.playbookIds = [...new Set(fields.playbookIds)];
          await checkPlaybooks(trx, current.workspaceId, fields.playbookIds);
        }
        const next: AnalyticsRuleRecord = {
          ...current,
          ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
          grouping,
          origin: current.origin,
          updatedAt: now(),
          version: current.version + 1,
        };
        if (!(await updateRuleRow(trx, next, current.version))) {
          throw new PreconditionFailedError(`Analytics rule ${id} was changed by someone else; reload it and try again`);
        }
        return next;
      });
      return toAnalyticsRule(updated);
    },
  };
}

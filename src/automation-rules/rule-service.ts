import { requirePermission, type Access } from '../auth/permissions.js';
import {
  ConflictError,
  InputError,
  RuleViolationError,
  LimitExceededError,
  NotFoundError,
  PreconditionFailedError,
  type ErrorDetail,
} from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { resolveOwner } from '../users/owner.js';
import type { StoredAction } from './rule-engine.js';
import {
  bumpAutomationVersion,
  countRules,
  deleteRuleRecord,
  findRuleRecord,
  insertRule,
  listRuleRecords,
  updateRuleRecord,
  type RuleRecord,
} from './rule-repository.js';
import {
  RULE_LIMITS,
  type Action,
  type ActionType,
  type RuleInput,
  type RulePatch,
  type RuleView,
  type Trigger,
} from './rule-schemas.js';
import { listRuleRuns } from './rule-run-log.js';
import { validateRuleShape } from './rule-validation.js';

/** Finds analytics rules by id, source id or name; a 422 names each reference that matches none. */
export async function resolveAnalyticsRules(
  db: Executor,
  workspaceId: string,
  refs: string[],
  path = 'analyticsRuleIds',
): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('analytics_rules')
    .select(['id', 'external_id', 'name', 'name_key'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const problems: ErrorDetail[] = [];
  const found = refs.map((ref, i) => {
    const key = ref.toLowerCase();
    const row =
      rows.find((r) => r.id === ref) ??
      rows.find((r) => r.external_id?.toLowerCase() === key || r.external_id?.toLowerCase().endsWith(`/${key}`)) ??
      rows.find((r) => r.name_key === key);
    if (!row)
      problems.push({ path: `${path}[${i}]`, message: `no analytics rule has the id, source id or name ${JSON.stringify(ref)}` });
    return row ? { id: row.id, name: row.name } : undefined;
  });
  if (problems.length > 0) throw new RuleViolationError(`${problems[0]!.path}: ${problems[0]!.message}`, problems);
  return [...new Map(found.map((r) => [r!.id, r!])).values()];
}

/** Turns API actions into stored ones: an assigned owner is resolved to a member of the workspace now. */
async function storeActions(db: Executor, workspaceId: string, actions: Action[]): Promise<StoredAction[]> {
  const stored: StoredAction[] = [];
  for (const [i, action] of actions.entries()) {
    if (action.type === 'assignOwner')
      stored.push({ type: 'assignOwner', owner: await resolveOwner(db, workspaceId, action.owner, `actions[${i}].owner`) });
    else stored.push(action as StoredAction);
  }
  return stored;
}

/** Whether a rule is past its expiration. */
const isExpired = (rule: RuleRecord, now: number) => rule.expiresAt !== null && rule.expiresAt <= now;

/** Automation rules: CRUD, order, run log. Rules run inside the writes they react to (rule-runner.ts). */
export type AutomationRuleService = ReturnType<typeof createAutomationRuleService>;

/** Builds the automation rule service. */
export function createAutomationRuleService({ storage, now = Date.now }: { storage: Storage; now?: () => number }) {
  const { db } = storage;

  async function present(rules: RuleRecord[]): Promise<RuleView[]> {
    const ids = [...new Set(rules.flatMap((r) => r.analyticsRuleIds ?? []))];
    const names = new Map<string, string>();
    if (ids.length) {
      const rows = await db
        .selectFrom('analytics_rules')
        .select(['id', 'name'])
        .where('workspace_id', '=', rules[0]!.workspaceId)
        .where('id', 'in', ids)
        .execute();
      for (const row of rows) names.set(row.id, row.name);
    }
    const at = now();
    return rules.map((rule) => ({
      id: rule.id,
      name: rule.name,
      description: rule.description,
      order: rule.order,
      enabled: rule.enabled,
      expiresAt: isoTime(rule.expiresAt),
      expired: isExpired(rule, at),
      trigger: rule.trigger,
      analyticsRuleIds: rule.analyticsRuleIds,
      analyticsRules: rule.analyticsRuleIds
        ? rule.analyticsRuleIds.map((id) => ({ id, name: names.get(id) ?? '(deleted)' }))
        : null,
      conditions: rule.conditions,
      actions: rule.actions,
      createdBy: rule.createdBy,
      modifiedBy: rule.modifiedBy,
      createdAt: isoTime(rule.createdAt),
      updatedAt: isoTime(rule.updatedAt),
      etag: etagOf(rule.version),
    }));
  }

  async function requireRule(executor: Executor, access: Access, id: string): Promise<RuleRecord> {
    const rule = await findRuleRecord(executor, access.workspaceId!, id);
    if (!rule) throw new NotFoundError(`Automation rule ${id} not found in workspace ${access.workspaceId}`);
    return rule;
  }

  /** Checks and resolves a complete rule definition (create, or update after merging the patch). */
  async function prepare(
    executor: Executor,
    access: Access,
    input: { trigger: Trigger; conditions: RuleInput['conditions']; actions: Action[]; analyticsRuleIds: string[] | null },
  ) {
    validateRuleShape(input);
    const analyticsRuleIds = input.analyticsRuleIds
      ? (await resolveAnalyticsRules(executor, access.workspaceId!, input.analyticsRuleIds)).map((r) => r.id)
      : null;
    const actions = await storeActions(executor, access.workspaceId!, input.actions);
    return { analyticsRuleIds, actions };
  }

  return {
    /** Rules in execution order, filtered by trigger, by action type ("rules that add tasks"), by analytics rule covered, or by name. */
    async list(
      access: Access,
      query: { trigger?: Trigger; actionType?: ActionType; analyticsRule?: string; q?: string },
    ): Promise<RuleView[]> {
      requirePermission(access, 'rules.read');
      let rules = await listRuleRecords(db, access.workspaceId!);
      if (query.trigger) rules = rules.filter((r) => r.trigger === query.trigger);
      if (query.actionType) rules = rules.filter((r) => r.actions.some((a) => a.type === query.actionType));
      if (query.q) rules = rules.filter((r) => r.name.toLowerCase().includes(query.q!.toLowerCase()));
      if (query.analyticsRule) {
        const [target] = await resolveAnalyticsRules(db, access.workspaceId!, [query.analyticsRule], 'analyticsRule');
        rules = rules.filter((r) => r.analyticsRuleIds === null || r.analyticsRuleIds.includes(target!.id));
      }
      return present(rules);
    },

    /** One rule. */
    async get(access: Access, id: string): Promise<RuleView> {
      requirePermission(access, 'rules.read');
      const [view] = await present([await requireRule(db, access, id)]);
      return view!;
    },

    /** Creates a rule (at most 512 per workspace). */
    async create(access: Access, input: RuleInput): Promise<RuleView> {
      requirePermission(access, 'rules.write');
      const at = now();
      const rule = await db.transaction().execute(async (trx) => {
        if ((await countRules(trx, access.workspaceId!)) >= RULE_LIMITS.perWorkspace) {
          throw new LimitExceededError(`A workspace holds at most ${RULE_LIMITS.perWorkspace} automation rules`);
        }
        const { analyticsRuleIds, actions } = await prepare(trx, access, input);
        const rule: RuleRecord = {
          workspaceId: access.workspaceId!,
          id: newId(at),
          name: input.name,
          description: input.description,
          order: input.order,
          enabled: input.enabled,
          expiresAt: input.expiresAt ? Date.parse(input.expiresAt) : null,
          trigger: input.trigger,
          analyticsRuleIds,
          conditions: input.conditions,
          actions,
          createdBy: access.actor,
          modifiedBy: access.actor,
          createdAt: at,
          updatedAt: at,
          version: 1,
        };
        await insertRule(trx, rule);
        await bumpAutomationVersion(trx, access.workspaceId!);
        return rule;
      });
      return (await present([rule]))[0]!;
    },

    /** Changes a rule (If-Match etag optional; 412 when stale). */
    async update(access: Access, id: string, patch: RulePatch, ifMatch?: string): Promise<RuleView> {
      requirePermission(access, 'rules.write');
      const at = now();
      const rule = await db.transaction().execute(async (trx) => {
        const current = await requireRule(trx, access, id);
        if (ifMatch !== undefined && ifMatch !== String(current.version)) {
          throw new PreconditionFailedError(
            `Automation rule "${current.name}" was changed by someone else; reload it and try again`,
            { currentEtag: etagOf(current.version) },
          );
        }
        const merged = {
          ...current,
          ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
          expiresAt:
            patch.expiresAt === undefined ? current.expiresAt : patch.expiresAt === null ? null : Date.parse(patch.expiresAt),
        } as RuleRecord;
        // Stored owners were resolved already; patched actions are resolved again.
        const actions = patch.actions
          ? (
              await prepare(trx, access, {
                trigger: merged.trigger,
                conditions: merged.conditions,
                actions: patch.actions,
                analyticsRuleIds: null,
              })
            ).actions
          : current.actions;
        if (!patch.actions)
          validateRuleShape({ trigger: merged.trigger, conditions: merged.conditions, actions: merged.actions as Action[] });
        const analyticsRuleIds =
          patch.analyticsRuleIds !== undefined && patch.analyticsRuleIds !== null
            ? (await resolveAnalyticsRules(trx, access.workspaceId!, patch.analyticsRuleIds)).map((r) => r.id)
            : merged.analyticsRuleIds;
        const next: RuleRecord = {
          ...merged,
          actions,
          analyticsRuleIds,
          modifiedBy: access.actor,
          updatedAt: at,
          version: current.version + 1,
        };
        if (!(await updateRuleRecord(trx, next, current.version)))
          throw new PreconditionFailedError(`Automation rule "${current.name}" was changed by someone else`);
        await bumpAutomationVersion(trx, access.workspaceId!);
        return next;
      });
      return (await present([rule]))[0]!;
    },

    /** Deletes a rule; its run log stays. */
    async remove(access: Access, id: string): Promise<void> {
      requirePermission(access, 'rules.write');
      await db.transaction().execute(async (trx) => {
        if (!(await deleteRuleRecord(trx, access.workspaceId!, id)))
          throw new NotFoundError(`Automation rule ${id} not found in workspace ${access.workspaceId}`);
        await bumpAutomationVersion(trx, access.workspaceId!);
      });
    },

    /** Sets the execution order: the rules listed run in that order (order 1, 2, 3 …); the others keep theirs after them. */
    async reorder(access: Access, ids: string[]): Promise<RuleView[]> {
      requirePermission(access, 'rules.write');
      if (new Set(ids).size !== ids.length)
        throw new InputError('ids lists a rule twice', [{ path: 'ids', message: 'must not repeat a rule' }]);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const rules = await listRuleRecords(trx, access.workspaceId!);
        const byId = new Map(rules.map((r) => [r.id, r]));
        const missing = ids.findIndex((id) => !byId.has(id));
        if (missing >= 0)
          throw new NotFoundError(`Automation rule ${ids[missing]} not found in workspace ${access.workspaceId}`, [
            { path: `ids[${missing}]`, message: 'no such rule' },
          ]);
        const rest = rules.filter((r) => !ids.includes(r.id));
        const ordered = [...ids.map((id) => byId.get(id)!), ...rest];
        for (const [i, rule] of ordered.entries()) {
          const order = Math.min(1000, i + 1);
          if (rule.order === order) continue;
          await updateRuleRecord(
            trx,
            { ...rule, order, updatedAt: at, modifiedBy: access.actor, version: rule.version + 1 },
            rule.version,
          );
        }
        await bumpAutomationVersion(trx, access.workspaceId!);
      });
      return this.list(access, {});
    },

    /** A rule's run log, newest first: when it ran, on which incident or alert, what each action did. */
    async runs(access: Access, id: string, page: { limit: number; cursor?: string }) {
      requirePermission(access, 'rules.read');
      return listRuleRuns(db, access.workspaceId!, id, page);
    },

    /** Checks that a name is unused (for imports and rules-as-code, which match rules by name). */
    async assertNameFree(access: Access, name: string): Promise<void> {
      const rules = await listRuleRecords(db, access.workspaceId!);
      if (rules.some((r) => r.name.toLowerCase() === name.toLowerCase()))
        throw new ConflictError(`An automation rule named ${name} already exists`);
    },
  };
}

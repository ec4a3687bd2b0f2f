import { requirePermission, type Access } from '../auth/permissions.js';
import { AppError } from '../errors/errors.js';
import type { Storage } from '../storage/database.js';
import { resolveOwner, type Owner, type OwnerInput } from '../users/owner.js';
import type { StoredAction } from './rule-engine.js';
import { ruleInputSchema, type RuleInput, type RuleView } from './rule-schemas.js';
import { resolveAnalyticsRules, type AutomationRuleService } from './rule-service.js';
import { readRules } from './sentinel-documents.js';
import { toSentinel } from './sentinel-export.js';
import type { ConvertedRule, Problem } from './sentinel-format.js';

/** create: a rule whose name is taken is skipped; upsert: it is updated. */
export type ImportMode = 'create' | 'upsert';

/** What the import did with one rule of the document, and everything that did not carry over. */
export interface ImportedRule {
  source: string;
  sourceId: string | null;
  name: string | null;
  outcome: 'created' | 'updated' | 'skipped';
  reason: string | null;
  rule: RuleView | null;
  notRepresentable: Problem[];
  notes: Problem[];
  unresolved: Problem[];
}

/** The import's answer: counts, per rule what happened, and document-level warnings. */
export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  warnings: Problem[];
  rules: ImportedRule[];
}

/** A rule as a portable Vigil definition (the `vigil` export, and rules-as-code files). */
export type RuleDefinition = RuleInput;

/** The rule import and export service. */
export type RuleImportService = ReturnType<typeof createRuleImportService>;

const ownerText = (o: OwnerInput) => o.email ?? o.name ?? o.id ?? '?';

/** Builds the import/export service on top of the rule service (which checks and saves each rule). */
export function createRuleImportService({ storage, rules }: { storage: Storage; rules: AutomationRuleService }) {
  const { db } = storage;

  /** An analytics rule's id for a reference (id, source id, name), trying the last segment of an ARM id too. */
  async function findAnalyticsRule(workspaceId: string, ref: string): Promise<string | undefined> {
    for (const candidate of new Set([ref, ref.split('/').filter(Boolean).pop() ?? ref])) {
      try {
        return (await resolveAnalyticsRules(db, workspaceId, [candidate]))[0]!.id;
      } catch (error) {
        // No analytics rule matches this reference (the rule service answers with a 422).
        if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 422)) throw error;
      }
    }
    return undefined;
  }

  async function applyScope(workspaceId: string, c: ConvertedRule, input: RuleInput, out: ImportedRule) {
    const scope = c.scope!;
    const found: string[] = [];
    const missing: string[] = [];
    for (const ref of scope.values) {
      const id = await findAnalyticsRule(workspaceId, ref);
      if (id) found.push(id);
      else missing.push(ref);
    }
    if (found.length === 0) {
      // None found: keep Sentinel's condition as it is, rather than widen the rule to every analytics rule.
      input.conditions.unshift(scope.condition);
      out.notes.push({
        path: scope.path,
        message:
          'no analytics rule here matches its values yet: kept as a property condition, which matches once alerts of those rules arrive',
      });
      return;
    }
    input.analyticsRuleIds = [...new Set(found)];
    for (const ref of missing)
      out.notRepresentable.push({
        path: `${scope.path}.conditionProperties.propertyValues`,
        message: `analytics rule ${ref} matches no analytics rule here (by id, source id or name); left out of the rule's scope`,
      });
  }

  async function resolveOwners(workspaceId: string, c: ConvertedRule, input: RuleInput, out: ImportedRule) {
    const keep = input.actions.map(() => true);
    for (const { index, path, candidates } of c.owners) {
      let owner: Owner | undefined;
      for (const candidate of candidates) {
        try {
          owner = await resolveOwner(db, workspaceId, candidate, path);
          break;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
        }
      }
      if (owner) input.actions[index] = { type: 'assignOwner', owner: { type: owner.type, id: owner.id } };
      else {
        keep[index] = false;
        out.notRepresentable.push({
          path: `${path}.actionConfiguration.owner`,
          message: `owner ${candidates.map(ownerText).join(' / ')} is not a member of this workspace; the assignment was left out`,
        });
      }
    }
    input.actions = input.actions.filter((_, i) => keep[i]);
    return c.actionSources.filter((_, i) => keep[i]);
  }

  async function importOne(
    access: Access,
    c: ConvertedRule,
    existing: Map<string, RuleView>,
    seen: Set<string>,
    mode: ImportMode,
  ): Promise<ImportedRule> {
    const out: ImportedRule = {
      source: c.source,
      sourceId: c.sourceId,
      name: c.name,
      outcome: 'skipped',
      reason: c.skipped,
      rule: null,
      notRepresentable: [...c.notRepresentable],
      notes: [...c.notes],
      unresolved: c.unresolved,
    };
    const skip = (reason: string) => ((out.reason = reason), out);
    if (!c.input) return out;
    const input = structuredClone(c.input);
    const key = input.name.toLowerCase();
    if (seen.has(key)) return skip(`the document holds another rule named "${input.name}"`);
    seen.add(key);
    const current = existing.get(key);
    if (current && mode !== 'upsert') return skip(`a rule named "${input.name}" exists; import with mode "upsert" to update it`);
    if (c.scope) await applyScope(access.workspaceId!, c, input, out);
    const sources = await resolveOwners(access.workspaceId!, c, input, out);
    if (input.actions.length === 0) return skip('no action could be represented');
    if (c.incomplete && input.enabled) {
      input.enabled = false;
      out.notes.push({
        path: c.source,
        message: 'imported disabled: a condition could not be represented (see notRepresentable)',
      });
    }
    const parsed = ruleInputSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [head, index] = issue.path;
        const at = head === 'actions' && typeof index === 'number' ? (sources[index] ?? c.source) : c.source;
        out.notRepresentable.push({ path: at, message: `${issue.path.join('.')}: ${issue.message}` });
      }
      return skip('the converted rule is not valid in Vigil (see notRepresentable)');
    }
    try {
      out.rule = current ? await rules.update(access, current.id, parsed.data) : await rules.create(access, parsed.data);
      out.outcome = current ? 'updated' : 'created';
      out.reason = null;
      existing.set(key, out.rule);
      return out;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const details = Array.isArray(error.details) ? error.details : [];
      out.notRepresentable.push(...details.map((d) => ({ path: c.source, message: `${d.path}: ${d.message}` })));
      return skip(error.message);
    }
  }

  async function analyticsRefs(workspaceId: string) {
    const rows = await db
      .selectFrom('analytics_rules')
      .select(['id', 'external_id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  return {
    /** Imports a Sentinel document (or Vigil's own export): per rule what was created or updated, and what was not representable. */
    async import(access: Access, body: { document: unknown; parameters?: unknown; mode?: ImportMode }): Promise<ImportReport> {
      requirePermission(access, 'rules.write');
      const { rules: converted, warnings } = readRules(body.document, body.parameters);
      const existing = new Map((await rules.list(access, {})).map((r) => [r.name.toLowerCase(), r]));
      const seen = new Set<string>();
      const results: ImportedRule[] = [];
      for (const c of converted) results.push(await importOne(access, c, existing, seen, body.mode ?? 'create'));
      const count = (outcome: ImportedRule['outcome']) => results.filter((r) => r.outcome === outcome).length;
      return { created: count('created'), updated: count('updated'), skipped: count('skipped'), warnings, rules: results };
    },

    /** The workspace's rules in Sentinel's REST list shape (with what Sentinel cannot hold), or as Vigil definitions. */
    async export(access: Access, format: 'sentinel' | 'vigil') {
      const views = await rules.list(access, {});
      const refs = await analyticsRefs(access.workspaceId!);
      if (format === 'vigil')
        return { value: views.map((v) => toDefinition(v, (id) => refs.get(id)?.external_id ?? refs.get(id)?.name ?? id)) };
      const notRepresentable: (Problem & { rule: string })[] = [];
      const value = views.map((view) => {
        const { resource, notRepresentable: lost } = toSentinel(view, {
          workspace: access.workspaceId!,
          analyticsRuleRef: (id) => refs.get(id)?.external_id ?? id,
        });
        notRepresentable.push(...lost.map((l) => ({ rule: view.name, ...l })));
        return resource;
      });
      return { value, notRepresentable };
    },
  };
}

/** A saved rule as a portable definition: analytics rules by source id or name, owners by email or group name. */
export function toDefinition(view: RuleView, analyticsRef: (id: string) => string): RuleDefinition {
  return {
    name: view.name,
    description: view.description,
    order: view.order,
    enabled: view.enabled,
    expiresAt: view.expiresAt,
    trigger: view.trigger,
    analyticsRuleIds: view.analyticsRuleIds?.map(analyticsRef) ?? null,
    conditions: view.conditions,
    actions: (view.actions as StoredAction[]).map((a) => {
      if (a.type !== 'assignOwner') return a as RuleDefinition['actions'][number];
      const o = a.owner as Partial<Owner>;
      const owner = o.type === 'group' ? { type: 'group' as const, name: o.name! } : o.email ? { email: o.email } : { id: o.id! };
      return { type: 'assignOwner' as const, owner };
    }),
  };
}

import { decodeCursor, encodeCursor, isoTime } from '../http/cursor.js';
import { newId } from '../ids/ids.js';
import { insertRows } from '../storage/bulk.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { AutomationRuleRunGroupsTable } from '../storage/schema.js';
import type { ActionResult, RuleOutcome } from './rule-engine.js';
import type { Trigger } from './rule-schemas.js';

/**
 * One run as a run-log row stores it (in `runs`, a row's runs in order). Absent: no incident, no
 * alert, and `results` when every action of the rule (the row's `action_types`) was applied.
 */
interface StoredRun {
  incidentId?: string;
  alertId?: string;
  outcome: string;
  results?: ActionResult[];
}

/**
 * How most runs are stored: the incident's id alone stands for a run on it whose every action was
 * applied (rows written before this form hold objects only; both are read).
 */
type StoredRunForm = StoredRun | string;

function storedForm(run: StoredRun): StoredRunForm {
  const plain = run.outcome === 'applied' && run.incidentId !== undefined && !run.alertId && !run.results;
  return plain ? run.incidentId! : run;
}

const readRun = (form: StoredRunForm): StoredRun => (typeof form === 'string' ? { outcome: 'applied', incidentId: form } : form);

/** Where rules ran: an incident, or an alert (alert-created rules). */
export interface RunTarget {
  incidentId?: string;
  alertId?: string;
}

/** How a rule's run went, for its run log. */
function runOutcome(outcome: RuleOutcome): string {
  let failed = 0;
  let applied = false;
  for (const r of outcome.results) {
    if (r.outcome === 'failed') failed += 1;
    else if (r.outcome === 'applied' || r.outcome === 'pending') applied = true;
  }
  if (failed === outcome.results.length) return 'failed';
  if (failed > 0) return 'partial';
  return applied ? 'applied' : 'unchanged';
}

/** Whether each action's result is a plain "applied" of the action of that index and type. */
function allApplied(results: ActionResult[], types: string[]): boolean {
  if (results.length !== types.length) return false;
  for (let i = 0; i < results.length; i += 1) {
    const r = results[i]!;
    if (r.index !== i || r.type !== types[i] || r.outcome !== 'applied' || r.detail !== undefined) return false;
  }
  return true;
}

/**
 * Run-log rows of rules that ran in one write: one row per rule, holding its runs in the order
 * they happened (the run log is read per rule, and a batch of alerts fires each rule many times).
 */
export function runLogRows(
  workspaceId: string,
  trigger: Trigger,
  runs: { target: RunTarget; outcomes: RuleOutcome[] }[],
  at: number,
): AutomationRuleRunGroupsTable[] {
  const byRule = new Map<string, { name: string; types: string[]; entries: StoredRunForm[] }>();
  for (const { target, outcomes } of runs) {
    for (const outcome of outcomes) {
      let group = byRule.get(outcome.rule.id);
      if (!group) {
        group = { name: outcome.rule.name, types: outcome.rule.actions.map((a) => a.type), entries: [] };
        byRule.set(outcome.rule.id, group);
      }
      const entry: StoredRun = { outcome: runOutcome(outcome) };
      if (target.incidentId) entry.incidentId = target.incidentId;
      if (target.alertId) entry.alertId = target.alertId;
      if (!allApplied(outcome.results, group.types)) entry.results = outcome.results;
      group.entries.push(storedForm(entry));
    }
  }
  return [...byRule].map(([ruleId, group]) => ({
    workspace_id: workspaceId,
    rule_id: ruleId,
    id: newId(at),
    rule_name: group.name,
    trigger_kind: trigger,
    action_types: toJson(group.types),
    run_count: group.entries.length,
    runs: toJson(group.entries),
    created_at: at,
  }));
}

/** Writes run-log rows. */
export async function insertRuns(trx: Executor, dialect: Dialect, rows: AutomationRuleRunGroupsTable[]): Promise<void> {
  await insertRows(trx, dialect, 'automation_rule_run_groups', rows);
}

/** One run of a rule as the API shows it. */
export interface RuleRunView {
  id: string;
  ruleId: string;
  ruleName: string;
  incidentId: string | null;
  incidentNumber: number | null;
  alertId: string | null;
  trigger: Trigger;
  outcome: string;
  results: unknown[];
  createdAt: string;
}

/**
 * A page of a rule's run log, newest first. Runs are stored one row per write (see
 * `runLogRows`), so a run's id and the cursor name the row and the run's place in it.
 */
export async function listRuleRuns(
  db: Executor,
  workspaceId: string,
  ruleId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: RuleRunView[]; nextCursor: string | null }> {
  const [fromGroup, below] = page.cursor ? cursorPosition(page.cursor) : [null, 0];
  let query = db
    .selectFrom('automation_rule_run_groups')
    .select(['id', 'rule_name', 'trigger_kind', 'action_types', 'runs', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('rule_id', '=', ruleId);
  if (fromGroup !== null) query = query.where('id', '<=', fromGroup);
  // Every row holds at least one run: limit + 1 rows after the cursor's own row fill the page and tell if there is more.
  const groups = await query
    .orderBy('id', 'desc')
    .limit(page.limit + 2)
    .execute();

  const picked: { group: (typeof groups)[number]; run: StoredRun; types: string[]; index: number }[] = [];
  for (const group of groups) {
    const runs = fromJson<StoredRunForm[]>(group.runs, []).map(readRun);
    const types = fromJson<string[]>(group.action_types, []);
    const start = group.id === fromGroup ? Math.min(below, runs.length) - 1 : runs.length - 1;
    for (let index = start; index >= 0 && picked.length <= page.limit; index -= 1) {
      picked.push({ group, run: runs[index]!, types, index });
    }
    if (picked.length > page.limit) break;
  }
  const more = picked.length > page.limit ? picked.pop()! : undefined;

  const numbers = await incidentNumbers(
    db,
    workspaceId,
    picked.flatMap((p) => (p.run.incidentId ? [p.run.incidentId] : [])),
  );
  return {
    items: picked.map(({ group, run, types, index }) => ({
      id: `${group.id}.${index}`,
      ruleId,
      ruleName: group.rule_name,
      incidentId: run.incidentId ?? null,
      incidentNumber: run.incidentId ? (numbers.get(run.incidentId) ?? null) : null,
      alertId: run.alertId ?? null,
      trigger: group.trigger_kind as Trigger,
      outcome: run.outcome,
      results: run.results ?? types.map((type, i) => ({ index: i, type, outcome: 'applied' })),
      createdAt: isoTime(group.created_at),
    })),
    nextCursor: more ? encodeCursor([more.group.id, more.index + 1]) : null,
  };
}

/** A run-log cursor: the row, and how many of its runs (counted from the first) are still to come. */
function cursorPosition(cursor: string): [string, number] {
  const isPosition = ([row, below]: unknown[]) => typeof row === 'string' && Number.isInteger(below) && (below as number) >= 1;
  return decodeCursor(cursor, 2, isPosition) as [string, number];
}

async function incidentNumbers(db: Executor, workspaceId: string, ids: string[]): Promise<Map<string, number>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'number'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}

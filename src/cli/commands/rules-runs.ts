import fs from 'node:fs/promises';
import type { FieldChange } from '../../activity/index.js';
import type { DryRunItem } from '../../automation-rules/rule-dry-run.js';
import type { RuleRunView } from '../../automation-rules/rule-run-log.js';
import type { RuleView } from '../../automation-rules/rule-schemas.js';
import type { Client } from '../client.js';
import { output, shortTime, table } from '../format.js';
import { readRuleFile } from './rules.js';

const enc = encodeURIComponent;
const base = (client: Client) => `/api/v1/workspaces/${enc(client.workspace)}/automation-rules`;

type ActionResult = { index: number; type: string; outcome: string; detail?: string };

/** A saved rule by id, or by name ignoring case (a name two rules share needs the id). */
async function findRule(client: Client, ref: string): Promise<RuleView> {
  const { items } = (await client.request('GET', base(client))).body as { items: RuleView[] };
  const byId = items.find((r) => r.id === ref);
  if (byId) return byId;
  const named = items.filter((r) => r.name.toLowerCase() === ref.toLowerCase());
  if (named.length > 1) throw new Error(`${named.length} rules are named "${ref}": give the id (vigil --json rules list)`);
  if (named.length === 0) throw new Error(`no automation rule has the id or name "${ref}"`);
  return named[0]!;
}

function parseLimit(text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new Error(`--limit ${text}: give a whole number from 1 to ${max}`);
  return limit;
}

/** "2. addTask failed: the incident already has 40 tasks" for each action that did not simply apply. */
function describeResults(results: ActionResult[]): string {
  const notable = results.filter((r) => r.outcome !== 'applied' || r.detail);
  if (notable.length === 0) return results.length ? 'all applied' : '';
  return notable.map((r) => `${r.index + 1}. ${r.type} ${r.outcome}${r.detail ? `: ${r.detail}` : ''}`).join('; ');
}

/** `vigil rules runs <rule> [--limit N]`: the rule's run log, newest first — where it ran, how it went, and each action that did not simply apply. */
export async function listRuleRuns(client: Client, ref: string, options: { limit?: string }, json: boolean): Promise<void> {
  const limit = parseLimit(options.limit, 50, 500);
  const rule = await findRule(client, ref);
  const page = (await client.request('GET', `${base(client)}/${enc(rule.id)}/runs?limit=${limit}`)).body as {
    items: RuleRunView[];
    nextCursor: string | null;
  };
  output(json, page, () => {
    if (page.items.length === 0) return `"${rule.name}" has not run yet.`;
    const lines = table(page.items, [
      { heading: 'When', value: (r) => shortTime(r.createdAt) },
      { heading: 'Trigger', value: (r) => r.trigger },
      {
        heading: 'On',
        value: (r) => (r.incidentNumber !== null ? `incident ${r.incidentNumber}` : r.alertId ? `alert ${r.alertId}` : ''),
      },
      { heading: 'Outcome', value: (r) => r.outcome },
      { heading: 'Actions', value: (r) => describeResults(r.results as ActionResult[]), max: 100 },
    ]);
    return page.nextCursor ? `${lines}\n(the ${limit} newest runs; more with --limit, up to 500)` : lines;
  });
}

async function isFile(ref: string): Promise<boolean> {
  try {
    return (await fs.stat(ref)).isFile();
  } catch {
    return false;
  }
}

const shown = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '(none)';
  if (Array.isArray(value)) return value.length ? value.map(shown).join(', ') : '(none)';
  if (typeof value === 'object') {
    const v = value as { name?: string; email?: string | null; id?: string };
    return v.name ?? v.email ?? v.id ?? JSON.stringify(value);
  }
  return String(value);
};

/** What a dry run says the rule would do to one incident, in words. */
function describeItem(item: DryRunItem): string {
  const parts = item.changes.map((c: FieldChange) => `${c.field}: ${shown(c.from)} → ${shown(c.to)}`);
  for (const task of item.tasks) parts.push(`add task "${task.title}"`);
  for (const playbook of item.playbooks) parts.push(`run playbook ${playbook}`);
  for (const r of item.results) if (r.outcome === 'failed') parts.push(`${r.index + 1}. ${r.type} would fail: ${r.detail ?? ''}`);
  return parts.length ? parts.join('; ') : 'nothing (it matches, but its actions change nothing)';
}

/** Options of `vigil rules test`: which incidents to try the rule on (the queue's filters; newest first). */
export interface RuleTestOptions {
  status?: string;
  severity?: string;
  tag?: string;
  from?: string;
  to?: string;
  limit?: string;
}

/**
 * `vigil rules test <rule|file>`: a dry run of a saved rule (id or name) or of a rule file (YAML or
 * JSON, as `vigil rules apply` reads) over existing incidents, newest first: which it would match
 * and what it would change. Nothing is changed.
 */
export async function testRule(client: Client, ref: string, options: RuleTestOptions, json: boolean): Promise<void> {
  const body: Record<string, unknown> = { limit: parseLimit(options.limit, 200, 1000) };
  if (await isFile(ref)) body.rule = await readRuleFile(ref);
  else body.ruleId = (await findRule(client, ref)).id;
  const filter: Record<string, string> = {};
  if (options.status) filter.status = options.status;
  if (options.severity) filter.severity = options.severity;
  if (options.tag) filter.tag = options.tag;
  if (options.from) filter.createdFrom = options.from;
  if (options.to) filter.createdTo = options.to;
  if (Object.keys(filter).length > 0) body.filter = filter;
  const result = (await client.request('POST', `${base(client)}/test`, body)).body as {
    evaluated: number;
    matched: number;
    items: DryRunItem[];
  };
  output(json, result, () => {
    const head = `Tried on ${result.evaluated} incident(s): ${result.matched} match. Nothing was changed.`;
    if (result.items.length === 0) return head;
    const rows = table(result.items, [
      { heading: 'Incident', value: (i) => i.incident.number },
      { heading: 'Title', value: (i) => i.incident.title, max: 50 },
      { heading: 'It would', value: describeItem, max: 120 },
    ]);
    return `${head}\n${rows}`;
  });
}

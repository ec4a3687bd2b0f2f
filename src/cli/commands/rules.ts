import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import type { ImportReport } from '../../automation-rules/rule-import.js';
import { ruleInputSchema, type RuleInput, type RuleView } from '../../automation-rules/rule-schemas.js';
import type { Client } from '../client.js';
import { output, table } from '../format.js';
import { writeYamlFiles } from '../yaml-files.js';

const enc = encodeURIComponent;
const base = (client: Client) => `/api/v1/workspaces/${enc(client.workspace)}/automation-rules`;

async function readInput(file: string): Promise<string> {
  if (file !== '-') return fs.readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `vigil rules list`: the rules in execution order. */
export async function listRules(client: Client, json: boolean): Promise<void> {
  const page = (await client.request('GET', base(client))).body as { items: RuleView[] };
  output(json, page, () =>
    page.items.length === 0
      ? 'No automation rules.'
      : table(page.items, [
          { heading: 'Order', value: (r) => r.order },
          { heading: 'Name', value: (r) => r.name, max: 50 },
          { heading: 'Trigger', value: (r) => r.trigger },
          { heading: 'State', value: (r) => (r.expired ? 'expired' : r.enabled ? 'enabled' : 'disabled') },
          { heading: 'Analytics rules', value: (r) => (r.analyticsRules ? r.analyticsRules.map((a) => a.name) : 'all'), max: 40 },
          { heading: 'Actions', value: (r) => (r.actions as { type: string }[]).map((a) => a.type) },
        ]),
  );
}

/** Parses `--param name=value` options into a parameters object. */
export function parseParams(params: string[] = []): Record<string, string> {
  return Object.fromEntries(
    params.map((p) => {
      const at = p.indexOf('=');
      if (at <= 0) throw new Error(`--param ${p}: write it as name=value`);
      return [p.slice(0, at).trim(), p.slice(at + 1)];
    }),
  );
}

/** The import report for people. */
function describeImport(report: ImportReport): string {
  const lines = [
    `Imported ${report.created + report.updated} of ${report.rules.length} rule(s): ${report.created} created, ${report.updated} updated, ${report.skipped} skipped.`,
  ];
  for (const w of report.warnings) lines.push(`warning: ${w.path}: ${w.message}`);
  for (const r of report.rules) {
    lines.push(`${r.outcome.padEnd(8)} ${r.name ?? '(no name)'}  [${r.source}]${r.reason ? `: ${r.reason}` : ''}`);
    for (const p of r.unresolved) lines.push(`  unresolved: ${p.path}: ${p.message}`);
    for (const p of r.notRepresentable) lines.push(`  not representable: ${p.path}: ${p.message}`);
    for (const p of r.notes) lines.push(`  note: ${p.path}: ${p.message}`);
  }
  return lines.join('\n');
}

/** `vigil rules import <file> [--format sentinel] [--param name=value]… [--mode upsert]`; exit code 1 when a rule was skipped. */
export async function importRules(
  client: Client,
  file: string,
  options: { format?: string; param?: string[]; mode?: string },
  json: boolean,
): Promise<void> {
  if (options.format && !['sentinel', 'vigil'].includes(options.format))
    throw new Error(`--format ${options.format}: use sentinel (or vigil)`);
  let document: unknown;
  try {
    document = JSON.parse(await readInput(file));
  } catch (error) {
    throw new Error(`${file === '-' ? 'stdin' : file} is not valid JSON: ${(error as Error).message}`);
  }
  const body = { document, parameters: parseParams(options.param), mode: options.mode ?? 'create' };
  const report = (await client.request('POST', `${base(client)}/import`, body)).body as ImportReport;
  output(json, report, () => describeImport(report));
  if (report.skipped > 0) process.exitCode = 1;
}

/** `vigil rules export [--format sentinel|vigil] [-o file]`, or `vigil rules export <dir>`: one YAML file per rule. */
export async function exportRules(
  client: Client,
  dir: string | undefined,
  options: { format?: string; output?: string },
  json: boolean,
): Promise<void> {
  const format = options.format ?? (dir ? 'vigil' : 'sentinel');
  if (!['sentinel', 'vigil'].includes(format)) throw new Error(`--format ${format}: use sentinel or vigil`);
  if (dir && format !== 'vigil') throw new Error('a directory export writes Vigil YAML files; leave out --format sentinel');
  const body = (await client.request('GET', `${base(client)}/export?format=${format}`)).body as {
    value: (RuleInput | object)[];
    notRepresentable?: { rule: string; path: string; message: string }[];
  };
  for (const p of body.notRepresentable ?? []) process.stderr.write(`warning: ${p.rule}: ${p.path}: ${p.message}\n`);
  if (!dir) {
    const text = `${JSON.stringify(body, null, 2)}\n`;
    if (!options.output) return void process.stdout.write(text);
    await fs.writeFile(options.output, text);
    return output(
      json,
      { file: options.output, rules: body.value.length },
      () => `Wrote ${body.value.length} rule(s) to ${options.output}.`,
    );
  }
  const files = await writeYamlFiles(dir, body.value as RuleInput[]);
  output(json, { dir, files }, () => `Wrote ${files.length} rule(s) to ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}`);
}

/** One step of an apply plan. */
export interface PlanStep {
  action: 'create' | 'update' | 'delete' | 'unchanged';
  name: string;
  file?: string;
  id?: string;
  fields?: (keyof RuleInput)[];
  definition?: RuleInput;
}

/** Reads one rule file (YAML, or JSON, which is YAML), validated as the API would; errors name the file and path. */
export async function readRuleFile(file: string): Promise<RuleInput> {
  let content: unknown;
  try {
    content = YAML.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = ruleInputSchema.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(rule)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Reads the rule files (*.yaml, *.yml, *.json) of a directory, validated as the API would; errors name the file and path. */
export async function readRuleDir(dir: string): Promise<{ file: string; rule: RuleInput }[]> {
  const names = (await fs.readdir(dir)).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
  const rules: { file: string; rule: RuleInput }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const rule = await readRuleFile(file);
    const twin = rules.find((r) => r.rule.name.toLowerCase() === rule.name.toLowerCase());
    if (twin) throw new Error(`${file}: ${twin.file} already defines a rule named "${rule.name}"`);
    rules.push({ file, rule });
  }
  return rules;
}

/** JSON with sorted keys and no undefined values, for comparing definitions. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

type AnalyticsRule = { id: string; externalId: string | null; name: string };

/** A definition in comparable form: analytics rules as ids, times parsed, owners by email or name. */
function comparable(rule: RuleInput, analytics: AnalyticsRule[]): Record<string, string> {
  const ref = (r: string) => {
    const key = r.toLowerCase();
    const last = key.split('/').pop()!;
    const found =
      analytics.find((a) => a.id === r) ??
      analytics.find((a) => a.externalId?.toLowerCase() === key || a.externalId?.toLowerCase().endsWith(`/${last}`)) ??
      analytics.find((a) => a.name.toLowerCase() === key);
    return found?.id ?? r;
  };
  const actions = rule.actions.map((a) =>
    a.type === 'assignOwner'
      ? { type: a.type, owner: (a.owner.email ?? `${a.owner.type ?? ''}:${a.owner.name ?? a.owner.id}`).toLowerCase() }
      : a,
  );
  const normalized: Record<string, unknown> = {
    ...rule,
    expiresAt: rule.expiresAt ? new Date(rule.expiresAt).toISOString() : null,
    analyticsRuleIds: rule.analyticsRuleIds ? [...new Set(rule.analyticsRuleIds.map(ref))].sort() : null,
    actions,
  };
  return Object.fromEntries(Object.entries(normalized).map(([k, v]) => [k, canonical(v)]));
}

/** The steps that make the workspace's rules match the files: create, update (changed fields), delete. */
export function planApply(
  files: { file: string; rule: RuleInput }[],
  current: { id: string; definition: RuleInput }[],
  analytics: AnalyticsRule[],
): PlanStep[] {
  const steps: PlanStep[] = [];
  const byName = new Map(current.map((c) => [c.definition.name.toLowerCase(), c]));
  for (const { file, rule } of files) {
    const existing = byName.get(rule.name.toLowerCase());
    byName.delete(rule.name.toLowerCase());
    if (!existing) {
      steps.push({ action: 'create', name: rule.name, file, definition: rule });
      continue;
    }
    const want = comparable(rule, analytics);
    const have = comparable(existing.definition, analytics);
    const fields = (Object.keys(want) as (keyof RuleInput)[]).filter((k) => want[k] !== have[k]);
    steps.push({
      action: fields.length ? 'update' : 'unchanged',
      name: rule.name,
      file,
      id: existing.id,
      fields,
      definition: rule,
    });
  }
  for (const { id, definition } of byName.values()) steps.push({ action: 'delete', name: definition.name, id });
  return steps;
}

const SIGN = { create: '+', update: '~', delete: '-', unchanged: '=' } as const;

/** `vigil rules apply <dir> [--dry-run]`: creates, updates and deletes rules (matched by name) so the workspace matches the files. */
export async function applyRules(client: Client, dir: string, options: { dryRun?: boolean }, json: boolean): Promise<void> {
  const files = await readRuleDir(dir);
  const list = ((await client.request('GET', base(client))).body as { items: RuleView[] }).items;
  const defs = ((await client.request('GET', `${base(client)}/export?format=vigil`)).body as { value: RuleInput[] }).value;
  const analytics = (
    (await client.request('GET', `/api/v1/workspaces/${enc(client.workspace)}/analytics-rules?limit=500`)).body as {
      items: AnalyticsRule[];
    }
  ).items;
  // Both lists are in execution order; the names are checked in case a rule changed in between.
  const current = list.map((r, i) => ({
    id: r.id,
    definition: defs[i]?.name === r.name ? defs[i]! : defs.find((d) => d.name === r.name)!,
  }));
  const steps = planApply(files, current, analytics);
  const changes = steps.filter((s) => s.action !== 'unchanged');
  if (!options.dryRun) {
    for (const s of changes.filter((c) => c.action === 'delete')) await client.request('DELETE', `${base(client)}/${enc(s.id!)}`);
    for (const s of changes.filter((c) => c.action === 'update')) {
      const patch = Object.fromEntries(s.fields!.map((f) => [f, s.definition![f]]));
      await client.request('PATCH', `${base(client)}/${enc(s.id!)}`, patch);
    }
    for (const s of changes.filter((c) => c.action === 'create')) await client.request('POST', base(client), s.definition);
  }
  const plan = steps.map(({ definition: _, ...s }) => s);
  output(json, { dryRun: options.dryRun ?? false, steps: plan }, () => {
    const lines = steps.map(
      (s) => `${SIGN[s.action]} ${s.action.padEnd(9)} ${s.name}${s.fields?.length ? ` (${s.fields.join(', ')})` : ''}`,
    );
    const count = (a: PlanStep['action']) => steps.filter((s) => s.action === a).length;
    const tail = options.dryRun
      ? `Dry run: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete; nothing was changed.`
      : changes.length
        ? `Applied: ${count('create')} created, ${count('update')} updated, ${count('delete')} deleted, ${count('unchanged')} unchanged.`
        : 'Nothing to change: the workspace matches the files.';
    return [...lines, tail].join('\n');
  });
}

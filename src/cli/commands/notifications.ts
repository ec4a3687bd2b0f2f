import fs from 'node:fs/promises';
import type { Command } from 'commander';
import YAML from 'yaml';
import {
  notificationRuleCreateSchema,
  type NotificationDelivery,
  type NotificationRule,
  type NotificationRuleCreate,
  type TestSendResult,
} from '../../notifications/notification-schemas.js';
import { ApiError, type Client } from '../client.js';
import { deliveryLimit, output, shortTime, table } from '../format.js';
import { writeYamlFiles } from '../yaml-files.js';

const enc = encodeURIComponent;
const base = (client: Client) => `/api/v1/workspaces/${enc(client.workspace)}/notification-rules`;

type WithClient = (run: (client: Client, json: boolean) => Promise<void>) => () => Promise<void>;

/** A rule file's fields, as POST /notification-rules takes them (people by email, groups and analytics rules by name). */
type RuleFile = Partial<NotificationRuleCreate> & { name: string };

/** A rule as a file writes it: the fields a person edits, with people and rules named rather than by id. */
function ruleFileOf(rule: NotificationRule): RuleFile {
  return {
    name: rule.name,
    description: rule.description,
    enabled: rule.enabled,
    triggers: rule.triggers,
    filters: { ...rule.filters, analyticsRules: rule.filters.analyticsRules.map((r) => r.name) },
    recipients: {
      users: rule.recipients.users.map((u) => u.email),
      groups: rule.recipients.groups.map((g) => g.name),
      addresses: rule.recipients.addresses,
    },
    includeSummary: rule.includeSummary,
    digestAfter: rule.digestAfter,
  };
}

async function allRules(client: Client): Promise<NotificationRule[]> {
  return ((await client.request('GET', base(client))).body as { items: NotificationRule[] }).items;
}

async function listRules(client: Client, json: boolean): Promise<void> {
  const items = await allRules(client);
  output(json, { items }, () =>
    items.length === 0
      ? 'No notification rules.'
      : table(items, [
          { heading: 'Name', value: (r) => r.name, max: 40 },
          { heading: 'State', value: (r) => (r.enabled ? 'enabled' : 'disabled') },
          {
            heading: 'When',
            value: (r) => [...(r.triggers.created ? ['created'] : []), ...r.triggers.updates.map((u) => `updated: ${u}`)],
            max: 50,
          },
          {
            heading: 'Recipients',
            value: (r) => [
              ...r.recipients.users.map((u) => u.email),
              ...r.recipients.groups.map((g) => `${g.name} (group)`),
              ...r.recipients.addresses,
            ],
            max: 60,
          },
        ]),
  );
}

/** `export <dir>`: one YAML file per rule, in the form `apply` reads. */
async function exportRules(client: Client, dir: string, json: boolean): Promise<void> {
  const files = await writeYamlFiles(dir, (await allRules(client)).map(ruleFileOf));
  output(json, { dir, files }, () => `Wrote ${files.length} rule(s) to ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}`);
}

async function readRuleFile(file: string): Promise<RuleFile> {
  let document: unknown;
  try {
    document = YAML.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const name = (document as { name?: unknown } | null)?.name;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error(`${file}: a notification rule file holds one rule (a YAML mapping)`);
  }
  if (typeof name !== 'string' || name.trim() === '') throw new Error(`${file}: the rule has no name: field`);
  return document as RuleFile;
}

/** A rule's fields with what the API fills in when left out (as given when they do not validate: the API will say why). */
function withDefaults(rule: RuleFile): RuleFile {
  const parsed = notificationRuleCreateSchema.safeParse(rule);
  return parsed.success ? parsed.data : rule;
}

/** An API refusal of one file: its message and, when it names a single field, which. */
function refusal(file: string, error: unknown): Error {
  if (!(error instanceof ApiError)) return error as Error;
  const details = (error.body as { error?: { details?: { path?: string; message?: string }[] } })?.error?.details ?? [];
  const only = details.length === 1 ? details[0]! : undefined;
  const named = only?.path && !error.message.includes(only.path) ? ` (${only.path}: ${only.message})` : '';
  return new Error(`${file}: ${error.message}${named}`);
}

/** `apply <files...>`: creates each rule, or replaces the fields of the rule with its name. */
async function applyRules(client: Client, files: string[], json: boolean): Promise<void> {
  const existing = new Map((await allRules(client)).map((r) => [r.name.trim().toLowerCase(), r]));
  const results: { file: string; name: string; action: 'created' | 'updated' | 'unchanged' }[] = [];
  for (const file of files) {
    const rule = await readRuleFile(file);
    const current = existing.get(rule.name.trim().toLowerCase());
    try {
      if (!current) {
        await client.request('POST', base(client), rule);
        results.push({ file, name: rule.name, action: 'created' });
        continue;
      }
      // Both sides with the API's defaults filled in, so a field left out of the file is not a change.
      const before = withDefaults(ruleFileOf(current));
      const after = withDefaults(rule);
      const changes = Object.fromEntries(
        Object.keys(rule)
          .filter((key) => JSON.stringify(after[key as keyof RuleFile]) !== JSON.stringify(before[key as keyof RuleFile]))
          .map((key) => [key, rule[key as keyof RuleFile]]),
      );
      if (Object.keys(changes).length === 0) {
        results.push({ file, name: rule.name, action: 'unchanged' });
        continue;
      }
      await client.request('PATCH', `${base(client)}/${enc(current.id)}`, changes, { 'if-match': current.etag });
      results.push({ file, name: rule.name, action: 'updated' });
    } catch (error) {
      throw refusal(file, error);
    }
  }
  output(json, { results }, () => results.map((r) => `${r.action.padEnd(9)} ${r.name}  (${r.file})`).join('\n'));
}

async function deleteRule(client: Client, ref: string, json: boolean): Promise<void> {
  const rule = (await client.request('GET', `${base(client)}/${enc(ref)}`)).body as NotificationRule;
  await client.request('DELETE', `${base(client)}/${enc(rule.id)}`);
  output(json, { deleted: rule.id, name: rule.name }, () => `Deleted notification rule "${rule.name}".`);
}

async function testRule(client: Client, ref: string, json: boolean): Promise<void> {
  const result = (await client.request('POST', `${base(client)}/${enc(ref)}/test`)).body as TestSendResult;
  output(json, result, () =>
    table(result.results, [
      { heading: 'Recipient', value: (r) => r.recipient },
      { heading: 'Status', value: (r) => r.status },
      { heading: 'Error', value: (r) => r.error ?? '', max: 100 },
    ]),
  );
  if (result.results.some((r) => r.status === 'failed')) process.exitCode = 1;
}

async function listDeliveries(client: Client, ref: string, options: { status?: string; limit?: string }, json: boolean) {
  const query = new URLSearchParams({ limit: String(deliveryLimit(options.limit)) });
  if (options.status) query.set('status', options.status);
  const body = (await client.request('GET', `${base(client)}/${enc(ref)}/deliveries?${query}`)).body as {
    items: NotificationDelivery[];
  };
  output(json, body, () =>
    body.items.length === 0
      ? 'No deliveries.'
      : table(body.items, [
          { heading: 'When', value: (d) => shortTime(d.createdAt) },
          { heading: 'Recipient', value: (d) => d.recipient ?? '' },
          { heading: 'Event', value: (d) => d.eventType },
          { heading: 'Status', value: (d) => d.status },
          { heading: 'Subject', value: (d) => d.subject ?? '', max: 50 },
          { heading: 'Error or note', value: (d) => d.error ?? d.note ?? '', max: 70 },
        ]),
  );
}

/** `vigil notifications …`: email notification rules as code, their test send and delivery logs. */
export function registerNotificationCommands(program: Command, withClient: WithClient): void {
  const notifications = program
    .command('notifications')
    .description('email notification rules: as code, test sends, delivery logs');
  notifications
    .command('list')
    .description('the rules: state, when they mail, and whom')
    .action(() => withClient((client, json) => listRules(client, json))());
  notifications
    .command('export <dir>')
    .description('write one YAML file per rule (people by email, groups and analytics rules by name)')
    .action((dir: string) => withClient((client, json) => exportRules(client, dir, json))());
  notifications
    .command('apply <files...>')
    .description('create each rule, or change the rule with its name to match the file')
    .action((files: string[]) => withClient((client, json) => applyRules(client, files, json))());
  notifications
    .command('delete <rule>')
    .description('delete a rule (by name or id)')
    .action((ref: string) => withClient((client, json) => deleteRule(client, ref, json))());
  notifications
    .command('test <rule>')
    .description("send a sample email to the rule's recipients now; exit code 1 when a send failed")
    .action((ref: string) => withClient((client, json) => testRule(client, ref, json))());
  notifications
    .command('deliveries <rule>')
    .description('the delivery log, newest first')
    .option('--status <status>', 'only pending, sending, sent, failed or skipped')
    .option('--limit <n>', 'how many (1–500, default 50)')
    .action((ref: string, options) => withClient((client, json) => listDeliveries(client, ref, options, json))());
}

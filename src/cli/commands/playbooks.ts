import type { Command } from 'commander';
import YAML from 'yaml';
import type { Playbook } from '../../playbooks/playbook-schemas.js';
import { ApiError, connect, type Client } from '../client.js';
import { output, shortTime, table } from '../format.js';
import { listRuns, runPlaybook, showRun } from './playbooks-runs.js';
import { describeProblem, readPlaybookFile, validatePlaybooks, type FileProblem } from './playbooks-validate.js';

const enc = encodeURIComponent;
const base = (client: Client) => `/api/v1/workspaces/${enc(client.workspace)}/playbooks`;

/** Every playbook of the workspace, following pages. */
async function allPlaybooks(client: Client): Promise<Playbook[]> {
  const items: Playbook[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=500${cursor ? `&cursor=${enc(cursor)}` : ''}`;
    const page = (await client.request('GET', `${base(client)}?${query}`)).body as {
      items: Playbook[];
      nextCursor: string | null;
    };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** `vigil playbooks list`: state, trigger, version and run counts of each playbook. */
export async function listPlaybooks(client: Client, json: boolean): Promise<void> {
  const items = await allPlaybooks(client);
  output(json, { items }, () =>
    items.length === 0
      ? 'No playbooks.'
      : table(items, [
          { heading: 'Name', value: (p) => p.name, max: 50 },
          { heading: 'State', value: (p) => (p.enabled ? 'enabled' : 'disabled') },
          { heading: 'Trigger', value: (p) => p.trigger },
          { heading: 'Version', value: (p) => p.version },
          { heading: 'Runs', value: (p) => `${p.runs.total} (${p.runs.succeeded} ok, ${p.runs.failed} failed)` },
          { heading: 'Last run', value: (p) => (p.runs.last ? `${p.runs.last.status} ${shortTime(p.runs.last.at)}` : '') },
        ]),
  );
}

/** What `apply` did with one file. */
interface Applied {
  file: string;
  name?: string;
  action: 'created' | 'updated' | 'unchanged' | 'invalid';
  version?: number;
  problems?: FileProblem[];
}

/** The `name:` of a playbook document, read without validating the rest (the server does). */
function nameOf(file: string, source: string): string {
  let document: unknown;
  try {
    document = YAML.parse(source);
  } catch (error) {
    throw new Error(`${file}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  const name = (document as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name.trim() === '') throw new Error(`${file}: the playbook has no name: field`);
  return name.trim();
}

/** Creates the playbook, or saves a new version of the one with its name (none when the source is the same). */
async function applyOne(client: Client, file: string): Promise<Applied> {
  const source = await readPlaybookFile(file);
  const name = nameOf(file, source);
  try {
    let current: { id: string; version: number; source: string; etag: string } | undefined;
    try {
      current = (await client.request('GET', `${base(client)}/${enc(name)}`)).body as typeof current;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    if (!current) {
      const made = (await client.request('POST', base(client), { source })).body as { version: number };
      return { file, name, action: 'created', version: made.version };
    }
    if (current.source === source) return { file, name, action: 'unchanged', version: current.version };
    const saved = (await client.request('PUT', `${base(client)}/${enc(current.id)}`, { source }, { 'if-match': current.etag }))
      .body as { version: number };
    return { file, name, action: 'updated', version: saved.version };
  } catch (error) {
    const details =
      error instanceof ApiError ? (error.body as { error?: { details?: FileProblem[] } }).error?.details : undefined;
    if (error instanceof ApiError && error.status === 400 && Array.isArray(details))
      return { file, name, action: 'invalid', problems: details };
    throw error;
  }
}

/**
 * `vigil playbooks apply <file…>`: creates each playbook, or saves a new version of the one with
 * its name; prints the version. A file with problems is listed with them (exit code 1); the others are applied.
 */
export async function applyPlaybooks(client: Client, files: string[], json: boolean): Promise<void> {
  const results: Applied[] = [];
  for (const file of files) results.push(await applyOne(client, file));
  output(json, { files: results }, () =>
    results
      .map((r) =>
        r.action === 'invalid'
          ? [
              `${r.file}: not applied, ${r.problems!.length} problem(s):`,
              ...r.problems!.map((p) => `  ${describeProblem(r.file, p)}`),
            ].join('\n')
          : `${r.action.padEnd(9)} ${r.name} (version ${r.version})  [${r.file}]`,
      )
      .join('\n'),
  );
  if (results.some((r) => r.action === 'invalid')) process.exitCode = 1;
}

type WithClient = (run: (client: Client, json: boolean) => Promise<void>, worker?: boolean) => () => Promise<void>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds `vigil playbooks validate|apply|list|run|runs|show-run` to the program. */
export function registerPlaybookCommands(program: Command, withClient: WithClient): void {
  const playbooks = program.command('playbooks').description('playbooks as code: validate, apply, run and inspect runs');
  playbooks
    .command('validate <files...>')
    .description('check playbook files ("-" for stdin); offline unless --url (then connection names are checked too)')
    .action(async (files: string[]) => {
      const { url, token, workspace, json } = program.opts<{ url?: string; token?: string; workspace: string; json?: boolean }>();
      const client = url ? await connect({ url, token, workspace }) : undefined;
      try {
        await validatePlaybooks(files, client, json ?? false);
      } finally {
        await client?.close();
      }
    });
  playbooks
    .command('apply <files...>')
    .description('create each playbook, or save a new version of the one with its name; prints the version')
    .action((files: string[]) => withClient((client, json) => applyPlaybooks(client, files, json))());
  playbooks
    .command('list')
    .description('the playbooks: state, trigger, version, runs and the last outcome')
    .action(() => withClient((client, json) => listPlaybooks(client, json))());
  playbooks
    .command('run <playbook>')
    .description('run a playbook (by name or id) and print the run id; --wait waits for the result')
    .option('--incident <incident>', 'run on this incident (number or id)')
    .option('--alert <alert>', 'run on this alert')
    .option('--entity <entity>', 'run on this entity')
    .option('--input <name=value>', 'an input (repeat); typed as the playbook declares it', collect)
    .option('--wait', 'wait until the run has finished; exit code 1 unless it succeeded')
    .option('--timeout <seconds>', 'with --wait: give up after this long (default 600)')
    // On the local database nothing else may be executing runs: with --wait, this process does.
    .action((ref: string, options) => withClient((client, json) => runPlaybook(client, ref, options, json), options.wait)());
  playbooks
    .command('runs <playbook>')
    .description("a playbook's runs, newest first")
    .option('--status <status>', 'queued, running, waiting, succeeded, failed or cancelled (repeat)', collect)
    .option('--limit <n>', 'how many (default 50)')
    .action((ref: string, options) => withClient((client, json) => listRuns(client, ref, options, json))());
  playbooks
    .command('show-run <run>')
    .description('a run and its step tree: status, attempts, duration and error of each step')
    .action((runId: string) => withClient((client, json) => showRun(client, runId, json))());
}

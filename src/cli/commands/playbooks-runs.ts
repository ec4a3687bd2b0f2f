import { stripControlCharacters } from '../../common/markdown.js';
import type { Run, RunDetail, StepView } from '../../playbooks/run-views.js';
import type { Client } from '../client.js';
import { fields, output, shortTime, table } from '../format.js';

const enc = encodeURIComponent;
const ws = (client: Client) => `/api/v1/workspaces/${enc(client.workspace)}`;
const FINISHED = ['succeeded', 'failed', 'cancelled'];

/** Milliseconds for people: "850 ms", "12.3 s", "4 min 10 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** Parses `--input name=value` options; values take the type the playbook declares (number, boolean, array, object as JSON). */
export function parseInputs(pairs: string[], declared: Record<string, { type: string }>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--input ${pair}: write it as name=value`);
    const name = pair.slice(0, at).trim();
    const text = pair.slice(at + 1);
    const type = declared[name]?.type ?? 'string';
    if (type === 'string') inputs[name] = text;
    else if (type === 'number') {
      if (text.trim() === '' || !Number.isFinite(Number(text))) throw new Error(`--input ${name}: "${text}" is not a number`);
      inputs[name] = Number(text);
    } else if (type === 'boolean') {
      if (!['true', 'false'].includes(text)) throw new Error(`--input ${name}: write true or false, not "${text}"`);
      inputs[name] = text === 'true';
    } else {
      try {
        inputs[name] = JSON.parse(text);
      } catch {
        throw new Error(`--input ${name}: the playbook declares it as ${type}; give it as JSON`);
      }
    }
  }
  return inputs;
}

/** A run in one line: status, duration and message. */
function outcome(run: Run): string {
  const took = run.durationMs === null ? '' : ` in ${formatMs(run.durationMs)}`;
  return `Run ${run.id} ${run.status}${took}${run.message ? `: ${run.message}` : ''}`;
}

/** Polls a run until it has finished or `timeoutMs` passed. */
async function waitForRun(client: Client, runId: string, timeoutMs: number): Promise<RunDetail> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    const run = (await client.request('GET', `${ws(client)}/runs/${enc(runId)}`)).body as RunDetail;
    if (FINISHED.includes(run.status) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Options of `vigil playbooks run`. */
export interface RunOptions {
  incident?: string;
  alert?: string;
  entity?: string;
  input?: string[];
  wait?: boolean;
  timeout?: string;
}

/**
 * `vigil playbooks run <playbook> [--incident N] [--alert id] [--entity id] [--input k=v]… [--wait]`:
 * starts a run and prints its id; --wait waits for the result (exit code 1 when it failed or was
 * cancelled, 2 when it had not finished within --timeout seconds).
 */
export async function runPlaybook(client: Client, ref: string, options: RunOptions, json: boolean): Promise<void> {
  const timeoutMs = Number(options.timeout ?? 600) * 1_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`--timeout ${options.timeout}: give a number of seconds`);
  const playbook = (await client.request('GET', `${ws(client)}/playbooks/${enc(ref)}`)).body as {
    name: string;
    definition: { inputs?: Record<string, { type: string }> };
  };
  const body = {
    ...(options.incident !== undefined && {
      incident: /^\d+$/.test(options.incident) ? Number(options.incident) : options.incident,
    }),
    ...(options.alert !== undefined && { alert: options.alert }),
    ...(options.entity !== undefined && { entity: options.entity }),
    inputs: parseInputs(options.input ?? [], playbook.definition.inputs ?? {}),
  };
  const started = (await client.request('POST', `${ws(client)}/playbooks/${enc(ref)}/runs`, body)).body as Run;
  if (!options.wait) return output(json, started, () => started.id);
  if (!json) process.stdout.write(`${started.id}\n`);
  const run = await waitForRun(client, started.id, timeoutMs);
  const finished = FINISHED.includes(run.status);
  output(json, run, () =>
    finished ? outcome(run) : `Gave up waiting after ${formatMs(timeoutMs)}: run ${run.id} is still ${run.status}.`,
  );
  // 1: the run failed or was cancelled; 2: it has not finished yet.
  if (run.status !== 'succeeded') process.exitCode = finished ? 1 : 2;
}

/** `vigil playbooks runs <playbook> [--status s]… [--limit n]`: the playbook's runs, newest first. */
export async function listRuns(
  client: Client,
  ref: string,
  options: { status?: string[]; limit?: string },
  json: boolean,
): Promise<void> {
  const query = new URLSearchParams({ limit: options.limit ?? '50' });
  for (const status of options.status ?? []) query.append('status', status);
  const page = (await client.request('GET', `${ws(client)}/playbooks/${enc(ref)}/runs?${query}`)).body as {
    items: Run[];
    nextCursor: string | null;
  };
  output(json, page, () =>
    page.items.length === 0
      ? `No runs of ${ref}${options.status?.length ? ` with status ${options.status.join(' or ')}` : ''}.`
      : table(page.items, [
          { heading: 'Run', value: (r) => r.id },
          { heading: 'Version', value: (r) => r.playbook.version },
          { heading: 'Status', value: (r) => r.status },
          { heading: 'Trigger', value: (r) => r.trigger.kind },
          { heading: 'Started by', value: (r) => r.startedBy.name, max: 30 },
          { heading: 'Queued', value: (r) => shortTime(r.queuedAt) },
          { heading: 'Duration', value: (r) => formatMs(r.durationMs) },
          { heading: 'Steps', value: (r) => r.stepsExecuted },
          { heading: 'Message', value: (r) => r.message, max: 60 },
        ]),
  );
}

const clean = (value: unknown, max: number) => {
  const text = stripControlCharacters(value === null || value === undefined ? '' : String(value)).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** The step tree as rows of an indented table: children under their step, loop iterations as [i]. */
export function stepRows(steps: StepView[], depth = 0): string[][] {
  return steps.flatMap((step) => [
    [
      `${'  '.repeat(depth)}${step.iteration === null ? '' : `[${step.iteration}] `}${clean(step.id, 60)}`,
      step.kind,
      step.status,
      String(step.attempts),
      formatMs(step.durationMs),
      clean(step.error, 100),
    ],
    ...stepRows(step.children, depth + 1),
  ]);
}

/** Aligns rows under headings (cells are already cleaned, so indentation survives). */
function alignedTable(headings: string[], rows: string[][]): string {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headings), ...rows.map(line)].join('\n');
}

/** `vigil playbooks show-run <run>`: the run and its step tree. */
export async function showRun(client: Client, runId: string, json: boolean): Promise<void> {
  const run = (await client.request('GET', `${ws(client)}/runs/${enc(runId)}`)).body as RunDetail;
  output(json, run, () => {
    const { kind, incidentId, alertId, entityId } = run.trigger;
    const on = [incidentId && `incident ${incidentId}`, alertId && `alert ${alertId}`, entityId && `entity ${entityId}`];
    const trigger = `${kind}${on.some(Boolean) ? ` on ${on.filter(Boolean).join(', ')}` : ''}`;
    const header = fields([
      ['Run', run.id],
      ['Playbook', `${run.playbook.name} (version ${run.playbook.version})`],
      ['Status', run.status],
      ['Trigger', trigger],
      ['Started by', run.startedBy.name],
      ['Queued', shortTime(run.queuedAt)],
      ['Finished', shortTime(run.finishedAt)],
      ['Duration', formatMs(run.durationMs)],
      ['Steps', `${run.stepsExecuted} executed, ${run.attempts} attempt(s)`],
      ...(run.message ? ([['Message', run.message]] as [string, unknown][]) : []),
    ]);
    const steps =
      run.steps.length === 0
        ? 'No step has started yet.'
        : alignedTable(['STEP', 'KIND', 'STATUS', 'ATTEMPTS', 'DURATION', 'ERROR'], stepRows(run.steps));
    return `${header}\n\n${steps}`;
  });
}

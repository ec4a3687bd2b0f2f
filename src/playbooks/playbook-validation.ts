import type * as CronParser from 'cron-parser';
import type { Executor } from '../storage/dialect.js';
import type { ActionCatalog } from './action-catalog.js';
import { parsePlaybook, walkSteps, type DefinitionDraft } from './definition/index.js';
import type { PlaybookDefinition } from './definition/definition-types.js';
import { lazyRequire } from '../common/lazy-require.js';

/** The cron parser (and the date library it uses), loaded when a schedule is first read (not at start-up). */
const cronParser = lazyRequire<typeof CronParser>('cron-parser');

/** A problem with a definition, by path (and line, for YAML and JSON text). */
export interface Problem {
  path: string;
  message: string;
  line?: number;
}

/** A definition checked against the catalog and the workspace. */
export interface Checked {
  definition: PlaybookDefinition | null;
  problems: Problem[];
  format: 'yaml' | 'json';
  source: string;
  /** Whether the document sets `enabled` (a new version without it keeps the playbook's state). */
  enabledGiven: boolean;
}

/** Looks up which connector each named connection of the workspace has (lower-cased names). */
export type ConnectionLookup = (executor: Executor, workspaceId: string, names: string[]) => Promise<Map<string, string>>;

/** The source as stored and its format: text as given, an object as indented JSON. */
export function sourceOf(body: { source?: string; definition?: Record<string, unknown> }): {
  source: string;
  format: 'yaml' | 'json';
} {
  if (body.definition !== undefined) return { source: JSON.stringify(body.definition, null, 2), format: 'json' };
  const source = body.source ?? '';
  return { source, format: /^\s*[{[]/.test(source) ? 'json' : 'yaml' };
}

/**
 * What only the workspace can tell: the connections named exist and have the connector the steps
 * using them need (an action's connector is its id's prefix; chat notifications need slack/teams).
 */
async function workspaceProblems(
  executor: Executor,
  workspaceId: string,
  draft: DefinitionDraft,
  lookup: ConnectionLookup,
): Promise<Problem[]> {
  const { definition } = draft;
  const names = Object.values(definition.connections);
  if (names.length === 0) return [];
  const found = await lookup(executor, workspaceId, names);
  const problems: Problem[] = [];
  for (const [alias, name] of Object.entries(definition.connections)) {
    if (!found.has(name.trim().toLowerCase())) {
      const path = `connections.${alias}`;
      const line = draft.lineOf(path);
      problems.push({
        path,
        message: `there is no connection named ${JSON.stringify(name)} in this workspace`,
        ...(line !== undefined && { line }),
      });
    }
  }
  walkSteps(
    definition,
    (step, path) => {
      const uses: { alias: string; connector: string; at: string }[] = [];
      if (step.kind === 'action' && step.connection)
        uses.push({ alias: step.connection, connector: step.uses.split('.')[0]!, at: `${path}.connection` });
      if (step.kind === 'approval') {
        for (const channel of ['slack', 'teams'] as const) {
          const alias = step.notify[channel];
          if (alias) uses.push({ alias, connector: channel, at: `${path}.approval.notify.${channel}` });
        }
      }
      for (const use of uses) {
        const name = definition.connections[use.alias];
        const connector = name ? found.get(name.trim().toLowerCase()) : undefined;
        if (connector && connector !== use.connector) {
          const line = draft.lineOf(use.at);
          problems.push({
            path: use.at,
            message: `connection ${JSON.stringify(name)} is a ${connector} connection; this step needs ${use.connector}`,
            ...(line !== undefined && { line }),
          });
        }
      }
    },
    draft.segmentsOf,
  );
  return problems;
}

/** Problems by line where both have one; otherwise in the order given (each list is in document order already). */
function byLine(problems: Problem[]): Problem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.index - b.index)
    .map(({ problem }) => problem);
}

/** Parses and validates a definition (catalog, expressions, references) and checks it against the workspace. */
export async function checkPlaybook(
  executor: Executor,
  workspaceId: string,
  body: { source?: string; definition?: Record<string, unknown> },
  catalog: ActionCatalog,
  lookup: ConnectionLookup,
): Promise<Checked> {
  const { source, format } = sourceOf(body);
  const parsed = parsePlaybook(body.definition ?? source, { catalog });
  // What the workspace tells is reported with the other problems, also when there are some.
  const found = parsed.draft ? await workspaceProblems(executor, workspaceId, parsed.draft, lookup) : [];
  const problems = found.length > 0 ? byLine([...parsed.problems, ...found]) : parsed.problems;
  const enabledGiven = parsed.draft?.enabledGiven ?? false;
  return { definition: problems.length === 0 ? parsed.definition : null, problems, format, source, enabledGiven };
}

/** The next time a cron schedule fires after `after`, in its time zone. */
export function nextScheduledRun(cron: string, timezone: string, after: number): number {
  return cronParser()
    .CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: timezone })
    .next()
    .getTime();
}

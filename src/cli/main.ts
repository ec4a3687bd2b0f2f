import { Command, Option } from 'commander';
import { VERSION } from '../app/app.js';
import { ConfigError } from '../config/config.js';
import { ApiError, connect, type Client } from './client.js';
import { ingestCommand } from './commands/ingest.js';
import { commentOnIncident, listIncidents, showIncident, updateIncidents } from './commands/incidents.js';
import { exportIncident } from './commands/incident-export.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';
import { workerCommand } from './commands/worker.js';
import { registerNotificationCommands } from './commands/notifications.js';
import { registerPlaybookCommands } from './commands/playbooks.js';
import { addTask, listTasks, setTaskStatus } from './commands/tasks.js';
import { applyRules, exportRules, importRules, listRules } from './commands/rules.js';
import { listRuleRuns, testRule } from './commands/rules-runs.js';
import { createToken, listTokens, revokeToken } from './commands/tokens.js';
import { createUser, groupCommand, listUsers, resetPassword, setDisabled } from './commands/users.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { archiveWorkspace, createWorkspace, grantRoles, listMembers, listWorkspaces } from './commands/workspaces.js';

interface GlobalOptions {
  url?: string;
  token?: string;
  workspace: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** Runs a command with a client, closing it afterwards (`worker`: the local database's client also executes runs). */
function withClient(program: Command, run: (client: Client, json: boolean) => Promise<void>, worker = false) {
  return async () => {
    const options = program.opts<GlobalOptions>();
    const client = await connect({ url: options.url, token: options.token, workspace: options.workspace, worker });
    try {
      await run(client, options.json ?? false);
    } finally {
      await client.close();
    }
  };
}

/** Builds the `vigil` command line. */
export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Vigil: self-hosted incident response and SOAR')
    .version(VERSION)
    .addOption(new Option('--url <url>', 'a Vigil server to talk to (default: the local database)').env('VIGIL_URL'))
    .addOption(new Option('--token <token>', 'API token for --url').env('VIGIL_TOKEN'))
    .addOption(new Option('-w, --workspace <id>', 'workspace').env('VIGIL_WORKSPACE').default('default'))
    .option('--json', 'print JSON instead of tables')
    .showHelpAfterError();

  program
    .command('serve')
    .description('start the API (and UI) server')
    .option('--port <port>', 'port (PORT, default 8080)')
    .option('--host <host>', 'interface (HOST, default 127.0.0.1; 0.0.0.0 to expose)')
    .option('--data-dir <dir>', 'data folder for the embedded database (DATA_DIR, default ./data)')
    .option('--database-url <url>', 'PostgreSQL URL instead of the embedded database (DATABASE_URL)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (LOG_LEVEL)')
    .option('--no-worker', 'do not execute playbook runs in this process (PostgreSQL: `vigil worker` processes do)')
    .option('--workers <n>', 'playbook runs executed at once (VIGIL_WORKERS, default 16)')
    .action((flags) => serveCommand(flags));

  program
    .command('worker')
    .description('execute playbook runs (PostgreSQL): start as many as you like, on this or other machines')
    .option('--database-url <url>', 'PostgreSQL URL (DATABASE_URL)')
    .option('--workers <n>', 'playbook runs executed at once (VIGIL_WORKERS, default 16)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (LOG_LEVEL)')
    .action((flags) => workerCommand(flags));

  program
    .command('migrate')
    .description('apply database migrations')
    .action(() => migrateCommand());

  program
    .command('ingest <file>')
    .description('ingest alerts from a JSON file ("-" for stdin): one alert, { "alerts": [...] } or an array')
    .action((file: string) => withClient(program, (client, json) => ingestCommand(client, file, json))());

  const incidents = program.command('incidents').description('work the incident queue');
  incidents
    .command('list')
    .description('list incidents')
    .option('--status <status>', 'New, Active, Closed (repeat or comma-separate)', collect)
    .option('--severity <severity>', 'High, Medium, Low, Informational', collect)
    .option('--owner <owner>', 'email, group id, "me" or "unassigned"', collect)
    .option('--tag <tag>', 'tag', collect)
    .option('--product <product>', 'alert product', collect)
    .option('--classification <classification>', 'classification', collect)
    .option('-q, --q <text>', 'text in title or description')
    .option('--sort <sort>', 'created, updated, severity or number')
    .option('--order <order>', 'asc or desc')
    .option('--limit <n>', 'page size (default 50)')
    .option('--cursor <cursor>', 'next page')
    .action((options) => withClient(program, (client, json) => listIncidents(client, options, json))());
  incidents
    .command('show <incident>')
    .description('show an incident (by number or id) with its latest activity')
    .action((ref: string) => withClient(program, (client, json) => showIncident(client, ref, json))());
  incidents
    .command('update <incidents...>')
    .description('change one incident, or several at once')
    .option('--title <title>', 'rename (one incident)')
    .option('--severity <severity>', 'High, Medium, Low, Informational')
    .option('--status <status>', 'New, Active, Closed')
    .option('--owner <owner>', 'user email, group name, or "none"')
    .option('--classification <c>', 'TruePositive, BenignPositive, FalsePositive, Undetermined')
    .option('--reason <reason>', 'classification reason')
    .option('--determination <d>', 'threat or activity type, e.g. Phishing, SecurityTesting')
    .option('--note <text>', 'resolution note')
    .option('--add-tag <tag>', 'add a tag', collect)
    .option('--remove-tag <tag>', 'remove a tag', collect)
    .option('--if-match <etag>', 'only if unchanged since this etag (one incident)')
    .action((refs: string[], options) => withClient(program, (client, json) => updateIncidents(client, refs, options, json))());
  incidents
    .command('comment <incident> <message>')
    .description('add a markdown comment ("-" reads it from stdin)')
    .action((ref: string, message: string) =>
      withClient(program, (client, json) => commentOnIncident(client, ref, message, json))(),
    );
  incidents
    .command('export <incident>')
    .description('export an incident as PDF (waits until it is ready)')
    .option('-o, --output <file>', 'where to save it ("-" for stdout; default incident-<number>.pdf)')
    .option('--sections <sections>', 'overview, timeline, assets, evidence, tasks, alerts, activity (default: all)', collect)
    .option('--timeout <seconds>', 'how long to wait for the PDF (default 300)')
    .action((ref: string, options) => withClient(program, (client, json) => exportIncident(client, ref, options, json))());

  const tasks = program.command('tasks').description("an incident's checklist");
  tasks
    .command('list <incident>')
    .description('list the tasks of an incident, in order')
    .action((incident: string) => withClient(program, (client, json) => listTasks(client, incident, json))());
  tasks
    .command('add <incident>')
    .description('add a task to an incident')
    .requiredOption('--title <title>', 'what to do (at most 150 characters)')
    .option('--description <text>', 'details (markdown)')
    .action((incident: string, options) => withClient(program, (client, json) => addTask(client, incident, options, json))());
  tasks
    .command('complete <incident> <task>')
    .description('mark a task complete (its number as listed, or its id)')
    .action((incident: string, task: string) =>
      withClient(program, (client, json) => setTaskStatus(client, incident, task, 'Completed', json))(),
    );
  tasks
    .command('reopen <incident> <task>')
    .description('mark a task not complete again')
    .action((incident: string, task: string) =>
      withClient(program, (client, json) => setTaskStatus(client, incident, task, 'New', json))(),
    );

  const rules = program
    .command('rules')
    .description('automation rules: Sentinel import/export, rules as code, run logs and dry runs');
  rules
    .command('list')
    .description('list the automation rules in execution order')
    .action(() => withClient(program, (client, json) => listRules(client, json))());
  rules
    .command('import <file>')
    .description('import rules from a JSON file ("-" for stdin): Sentinel\'s REST resource, list, REST example or ARM template')
    .option('--format <format>', 'sentinel (default; Vigil exports are recognised too)', 'sentinel')
    .option('--param <name=value>', 'a value for an ARM template parameter (repeat)', (v: string, p: string[] = []) => [...p, v])
    .option('--mode <mode>', 'create (default: rules whose name is taken are skipped) or upsert (they are updated)')
    .action((file: string, options) => withClient(program, (client, json) => importRules(client, file, options, json))());
  rules
    .command('export [dir]')
    .description("export the rules: Sentinel's JSON (--format sentinel, to stdout or -o), or one YAML file per rule into <dir>")
    .option('--format <format>', 'sentinel (default without <dir>) or vigil')
    .option('-o, --output <file>', 'write the JSON to a file')
    .action((dir: string | undefined, options) =>
      withClient(program, (client, json) => exportRules(client, dir, options, json))(),
    );
  rules
    .command('apply <dir>')
    .description("create, update and delete rules (matched by name) so the workspace matches <dir>'s YAML files")
    .option('--dry-run', 'print the plan and change nothing')
    .action((dir: string, options) => withClient(program, (client, json) => applyRules(client, dir, options, json))());
  rules
    .command('runs <rule>')
    .description("a rule's run log (by id or name), newest first: where it ran, how it went, actions that did not apply")
    .option('--limit <n>', 'how many runs (default 50, at most 500)')
    .action((rule: string, options) => withClient(program, (client, json) => listRuleRuns(client, rule, options, json))());
  rules
    .command('test <rule>')
    .description(
      'dry run of a saved rule (id or name) or a rule file (YAML or JSON) over existing incidents, newest first: what it would change; changes nothing',
    )
    .option('--status <list>', 'only incidents with these statuses (New,Active,Closed)')
    .option('--severity <list>', 'only incidents with these severities')
    .option('--tag <list>', 'only incidents with any of these tags')
    .option('--from <iso>', 'only incidents created at or after this time')
    .option('--to <iso>', 'only incidents created before this time')
    .option('--limit <n>', 'how many incidents to try (default 200, at most 1000)')
    .action((rule: string, options) => withClient(program, (client, json) => testRule(client, rule, options, json))());

  registerPlaybookCommands(program, (run, worker) => withClient(program, run, worker));
  registerWebhookCommands(program, (run) => withClient(program, run));
  registerNotificationCommands(program, (run) => withClient(program, run));

  const tokens = program.command('tokens').description('API tokens for scripts and alert sources');
  tokens
    .command('create')
    .description('create a token in the workspace (shown once)')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--role <role>', 'Reader, Responder, Contributor, PlaybookOperator, PlaybookContributor, Owner or Ingestor')
    .option('--expires <iso>', 'expiry, e.g. 2027-01-01T00:00:00Z')
    .option('--user <userId>', 'create it for another user')
    .action((options) => withClient(program, (client, json) => createToken(client, options, json))());
  tokens
    .command('list')
    .description('list tokens')
    .option('--all', "everyone's tokens in the workspace")
    .action((options) => withClient(program, (client, json) => listTokens(client, options.all ?? false, json))());
  tokens
    .command('revoke <id>')
    .description('revoke a token')
    .action((id: string) => withClient(program, (client, json) => revokeToken(client, id, json))());

  const users = program.command('users').description('local users (administrators)');
  users
    .command('create')
    .description('create a user; without --password a one-time password is generated and printed')
    .requiredOption('--email <email>', 'email address (the sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .option('--admin', 'make a server administrator')
    .option('--password <password>', 'initial password (at least 12 characters)')
    .action((options) => withClient(program, (client, json) => createUser(client, options, json))());
  users
    .command('list')
    .description('list users')
    .option('-q, --q <text>', 'email or name containing')
    .action((options) => withClient(program, (client, json) => listUsers(client, options.q, json))());
  users
    .command('reset-password <user>')
    .description("reset a user's password (by email or id); prints a one-time password unless --password is given")
    .option('--password <password>', 'the new password')
    .action((user: string, options) =>
      withClient(program, (client, json) => resetPassword(client, user, options.password, json))(),
    );
  users
    .command('disable <user>')
    .description('disable a user: sessions end, tokens stop working')
    .action((user: string) => withClient(program, (client, json) => setDisabled(client, user, true, json))());
  users
    .command('enable <user>')
    .description('enable a disabled user')
    .action((user: string) => withClient(program, (client, json) => setDisabled(client, user, false, json))());

  const groups = program.command('groups').description('groups of users (administrators)');
  groups
    .command('list')
    .description('list groups')
    .action(() => withClient(program, (client, json) => groupCommand(client, 'list', [], json))());
  groups
    .command('create <name>')
    .description('create a group')
    .action((name: string) => withClient(program, (client, json) => groupCommand(client, 'create', [name], json))());
  groups
    .command('add <group> <user>')
    .description('add a user (email or id) to a group')
    .action((group: string, user: string) =>
      withClient(program, (client, json) => groupCommand(client, 'add', [group, user], json))(),
    );
  groups
    .command('remove <group> <user>')
    .description('remove a user from a group')
    .action((group: string, user: string) =>
      withClient(program, (client, json) => groupCommand(client, 'remove', [group, user], json))(),
    );

  const workspaces = program.command('workspaces').description('workspaces and their members');
  workspaces
    .command('list')
    .description('your workspaces (--all: every workspace, administrators)')
    .option('--all', 'every workspace, including archived ones')
    .action((options) => withClient(program, (client, json) => listWorkspaces(client, options.all ?? false, json))());
  workspaces
    .command('create <id>')
    .description('create a workspace (administrators)')
    .requiredOption('--name <name>', 'display name')
    .option('--owner <email-or-group>', 'its first Owner (default: you)')
    .action((id: string, options) => withClient(program, (client, json) => createWorkspace(client, id, options, json))());
  workspaces
    .command('archive <id>')
    .description('archive a workspace (read-only)')
    .action((id: string) => withClient(program, (client, json) => archiveWorkspace(client, id, true, json))());
  workspaces
    .command('unarchive <id>')
    .description('bring an archived workspace back')
    .action((id: string) => withClient(program, (client, json) => archiveWorkspace(client, id, false, json))());
  workspaces
    .command('members')
    .description('members of the workspace (-w) and their roles')
    .action(() => withClient(program, (client, json) => listMembers(client, json))());
  workspaces
    .command('grant <who>')
    .description('set the roles of a user (email) or group (name) in the workspace (-w); no --role removes them')
    .option('--role <role>', 'Reader, Responder, Contributor, PlaybookOperator, PlaybookContributor, Owner, Ingestor', collect)
    .action((who: string, options) => withClient(program, (client, json) => grantRoles(client, who, options.role ?? [], json))());

  return program;
}

/** Entry point of the `vigil` binary. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof ApiError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = error instanceof ConfigError ? 78 : 1;
      return;
    }
    throw error;
  }
}

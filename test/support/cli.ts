import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runNode, type ProcessResult } from './processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Runs the CLI's main() from source (through tsx) as bin/vigil.js does: an error escaping main()
// is printed as its message with exit code 1. tsx and main.ts are named by absolute URL, so the
// CLI can run in any working directory.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = pathToFileURL(path.join(ROOT, 'src/cli/main.ts')).href;
const RUNNER =
  `import(${JSON.stringify(MAIN)}).then((m) => m.main(['node', 'vigil', ...JSON.parse(process.env.CLI_ARGS)]))` +
  '.catch((e) => { process.stderr.write(`${e?.message ?? e}\\n`); process.exitCode = 1; })';
const NODE_ARGS = ['--import', TSX, '-e', RUNNER];

/** Settings that would point the CLI at another database, server, workspace or first admin than the test's. */
const POINTING_ELSEWHERE = [
  'DATABASE_URL',
  'TEST_DATABASE_URL',
  'VIGIL_URL',
  'VIGIL_TOKEN',
  'VIGIL_WORKSPACE',
  'VIGIL_ADMIN_EMAIL',
  'VIGIL_ADMIN_PASSWORD',
  'PORT',
  'HOST',
  'DATA_DIR',
];

/** How to run the CLI: `cwd` is its working directory (the repository root unless given). */
export interface CliOptions {
  cwd?: string;
}

/** The test process's environment without what would point the CLI elsewhere. */
export function cliBaseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of POINTING_ELSEWHERE) delete env[key];
  return env;
}

/** The environment for `vigil <args>`: the base one with `env` added, logs quiet unless `env` says otherwise. */
function cliEnv(args: string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...cliBaseEnv(), LOG_LEVEL: 'silent', ...env, CLI_ARGS: JSON.stringify(args) };
}

/** Runs `vigil <args>` from source in a child process with `env` added (quiet logs), feeding it `input`. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
  { cwd = ROOT }: CliOptions = {},
): Promise<ProcessResult> {
  return runNode(NODE_ARGS, { cwd, env: cliEnv(args, env), input });
}

/** Starts `vigil <args>` (e.g. `serve`) from source as a long-running child process, its output ignored. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv, { cwd = ROOT }: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, NODE_ARGS, { cwd, env: cliEnv(args, env), stdio: 'ignore' });
}

/** Starts `vigil <args>` from source as a long-running child process whose output the test reads. */
export function spawnCliPiped(
  args: string[],
  env: NodeJS.ProcessEnv,
  { cwd = ROOT }: CliOptions = {},
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, NODE_ARGS, { cwd, env: cliEnv(args, env), stdio: 'pipe' });
}

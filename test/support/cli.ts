import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode, type ProcessResult } from './processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Runs the CLI's main() from source (through tsx) as bin/vigil.js does: an error escaping main()
// is printed as its message with exit code 1.
const RUNNER =
  "import('./src/cli/main.ts').then((m) => m.main(['node', 'vigil', ...JSON.parse(process.env.CLI_ARGS)]))" +
  '.catch((e) => { process.stderr.write(`${e?.message ?? e}\\n`); process.exitCode = 1; })';

/** Settings that would point the CLI at another database, server or workspace than the test's. */
const POINTING_ELSEWHERE = [
  'DATABASE_URL',
  'TEST_DATABASE_URL',
  'VIGIL_URL',
  'VIGIL_TOKEN',
  'VIGIL_WORKSPACE',
  'PORT',
  'HOST',
  'DATA_DIR',
];

/** The test process's environment without what would point the CLI elsewhere. */
export function cliBaseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of POINTING_ELSEWHERE) delete env[key];
  return env;
}

/** Runs `vigil <args>` from source in a child process with `env` added (quiet logs), feeding it `input`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<ProcessResult> {
  return runNode(['--import', 'tsx', '-e', RUNNER], {
    cwd: ROOT,
    env: { ...cliBaseEnv(), LOG_LEVEL: 'silent', ...env, CLI_ARGS: JSON.stringify(args) },
    input,
  });
}

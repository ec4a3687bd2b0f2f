import fs from 'node:fs/promises';
import { createConnectors } from '../../connectors/registry.js';
import { createActionCatalog, type ActionCatalog } from '../../playbooks/action-catalog.js';
import { incidentReadActions, type ReadServices } from '../../playbooks/builtin/incident-read-actions.js';
import { incidentWriteActions, type WriteServices } from '../../playbooks/builtin/incident-write-actions.js';
import { parsePlaybook } from '../../playbooks/definition/index.js';
import type { Client } from '../client.js';
import { output } from '../format.js';

/** A problem in a playbook file, as the API and the offline check report it. */
export interface FileProblem {
  path: string;
  message: string;
  line?: number;
}

/** One file's validation result. */
export interface FileResult {
  file: string;
  valid: boolean;
  problems: FileProblem[];
}

/** Reads a playbook file ("-" for stdin). */
export async function readPlaybookFile(file: string): Promise<string> {
  if (file !== '-') return fs.readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A problem as compilers print them: `file:line: path: message`. */
export function describeProblem(file: string, problem: FileProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  return `${where}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

let catalog: ActionCatalog | undefined;

/**
 * The action catalog without a database: validation reads the actions' schemas and never runs
 * one, so the built-in actions get no services.
 */
function offlineCatalog(): ActionCatalog {
  catalog ??= createActionCatalog(
    [...incidentReadActions({} as ReadServices), ...incidentWriteActions({} as WriteServices)],
    createConnectors(),
  );
  return catalog;
}

/** Checks a source without a server: syntax, fields, actions, inputs, expressions, step references (not connection names). */
export function validateOffline(source: string): FileProblem[] {
  return parsePlaybook(source, { catalog: offlineCatalog() }).problems;
}

/**
 * `vigil playbooks validate <file…>`: with --url the server checks each file (connection names
 * included); without, the check runs offline, with no database. Exit code 1 when a file has problems.
 */
export async function validatePlaybooks(files: string[], client: Client | undefined, json: boolean): Promise<void> {
  const results: FileResult[] = [];
  for (const file of files) {
    const source = await readPlaybookFile(file);
    const problems = client
      ? (
          (
            await client.request('POST', `/api/v1/workspaces/${encodeURIComponent(client.workspace)}/playbooks/validate`, {
              source,
            })
          ).body as { problems: FileProblem[] }
        ).problems
      : validateOffline(source);
    results.push({ file: file === '-' ? 'stdin' : file, valid: problems.length === 0, problems });
  }
  output(json, { offline: !client, files: results }, () =>
    results
      .map((r) =>
        r.valid
          ? `${r.file}: valid${client ? '' : ' (checked offline: connection names were not looked up)'}`
          : [...r.problems.map((p) => describeProblem(r.file, p)), `${r.file}: ${r.problems.length} problem(s)`].join('\n'),
      )
      .join('\n'),
  );
  if (results.some((r) => !r.valid)) process.exitCode = 1;
}

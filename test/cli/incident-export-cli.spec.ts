import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { runNode } from '../support/processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Runs the CLI's main() from source (through tsx) as bin/vigil.js does, in a scratch folder
// (files are saved to the working directory).
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = pathToFileURL(path.join(ROOT, 'src/cli/main.ts')).href;
const RUNNER =
  `import(${JSON.stringify(MAIN)}).then((m) => m.main(['node', 'vigil', ...JSON.parse(process.env.CLI_ARGS)]))` +
  '.catch((e) => { process.stderr.write(`${e?.message ?? e}\\n`); process.exitCode = 1; })';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'TEST_DATABASE_URL', 'VIGIL_URL', 'VIGIL_TOKEN', 'VIGIL_WORKSPACE', 'PORT', 'HOST'])
    delete env[key];
  return env;
}

async function pdfText(file: string): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(fs.readFileSync(file)) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

describe('vigil incidents export (local database)', () => {
  let dir: string;
  let dataDir: string;

  const run = (args: string[], input = ''): Promise<CliResult> =>
    runNode(['--import', TSX, '-e', RUNNER], {
      cwd: dir,
      env: { ...baseEnv(), CLI_ARGS: JSON.stringify(args), DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      input: input,
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-export-cli-'));
    dataDir = path.join(dir, 'data');
    const ingest = await run(
      ['ingest', '-'],
      JSON.stringify(alert({ title: 'Ransomware on Žilina-FS01 — шифровальщик', severity: 'High' })),
    );
    expect(ingest.code, ingest.stderr).toBe(0);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves incident-<number>.pdf once the server has made it', async () => {
    const res = await run(['incidents', 'export', '1']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Saved incident 1 to incident-1\.pdf \(\d+ pages, \d+ KiB\)\.\n$/);
    const text = await pdfText(path.join(dir, 'incident-1.pdf'));
    expect(text).toContain('Ransomware on Žilina-FS01 — шифровальщик');
    expect(text).toContain('Related alerts');
  });

  it('takes -o and --sections, and prints JSON with --json', async () => {
    const res = await run(['--json', 'incidents', 'export', '1', '-o', 'overview.pdf', '--sections', 'overview,tasks']);
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toMatchObject({ status: 'ready', sections: ['overview', 'tasks'], savedTo: 'overview.pdf' });
    const text = await pdfText(path.join(dir, 'overview.pdf'));
    expect(text).toContain('Overview');
    expect(text).not.toContain('Related alerts');
  });

  it('names an unknown section', async () => {
    const res = await run(['incidents', 'export', '1', '--sections', 'graph']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/must be one of overview, timeline, assets, evidence, tasks, alerts, activity/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';

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

  // Files are saved to the working directory: run in the scratch folder.
  const run = (args: string[], input = '') => runCli(args, { DATA_DIR: dataDir }, input, { cwd: dir });

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

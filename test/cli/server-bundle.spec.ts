import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script without types
import { bundleServer, UNBUNDLED } from '../../scripts/bundle-server.mjs';
import { alert } from '../support/fixtures.js';
import { freePort, runNode } from '../support/processes.js';

// The bundle bin/vigil.js runs (scripts/bundle-server.mjs), built into a scratch folder inside the
// project so that the packages left out of it resolve from node_modules as they do in dist/server.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = path.join(ROOT, 'node_modules', '.cache', `vigil-bundle-test-${process.pid}`);
const MAIN = pathToFileURL(path.join(BUNDLE, 'main.js')).href;
/** Packages that only some requests (PDF export, email, markdown) or PostgreSQL need: loaded on first use. */
const ON_DEMAND = ['pdfkit', 'fontkit', 'nodemailer', 'pg', 'graphile-worker', 'sanitize-html', 'markdown-it'];

/** Runs a script that imports the bundle's `main` (as `main`) in a new Node process. */
function runScript(script: string, env: NodeJS.ProcessEnv, cwd: string, input = '') {
  return runNode(['--input-type=module', '-e', `import { main } from ${JSON.stringify(MAIN)};\n${script}`], { cwd, env, input });
}

describe('the bundled server and CLI (dist/server)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await bundleServer(BUNDLE);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bundle-'));
    env = { ...process.env, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' };
    for (const key of ['DATABASE_URL', 'TEST_DATABASE_URL', 'VIGIL_URL', 'VIGIL_TOKEN', 'VIGIL_WORKSPACE', 'HOST'])
      delete env[key];
  }, 120_000);
  afterAll(() => {
    fs.rmSync(BUNDLE, { recursive: true, force: true });
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = (args: string[], input = '') =>
    runScript(`await main(['node', 'vigil', ...${JSON.stringify(args)}]);`, env, dir, input);

  it('starts on SQLite and serves the API, its reference and the web UI without loading what only some requests need', async () => {
    const port = await freePort();
    const script = `
      const { createRequire } = await import('node:module');
      await main(['node', 'vigil', 'serve']);
      const loaded = Object.keys(createRequire(process.cwd() + '/').cache);
      const get = async (p) => { const r = await fetch('http://127.0.0.1:${port}' + p); return { status: r.status, text: await r.text() }; };
      const answers = { health: await get('/healthz'), openapi: await get('/api/openapi.json'), docs: await get('/api/docs/'), docsStyle: await get('/api/docs/static/swagger-ui.css'), ui: await get('/') };
      (await import('node:fs')).writeFileSync('result.json', JSON.stringify({ loaded, answers }));
      process.exit(0);`;
    const run = await runScript(script, { ...env, PORT: String(port) }, dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const { loaded, answers } = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as {
      loaded: string[];
      answers: Record<string, { status: number; text: string }>;
    };
    expect(answers.health).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    expect(answers.openapi!.status).toBe(200);
    expect(Object.keys(JSON.parse(answers.openapi!.text).paths)).toContain('/api/v1/workspaces/{workspace}/alerts');
    expect(answers.docs!.status).toBe(200);
    expect(answers.docs!.text).toContain('swagger');
    expect(answers.docsStyle!.status).toBe(200);
    expect(answers.ui!.status).toBe(200);
    expect(answers.ui!.text).toContain('<div id="root">');

    const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
    const packages = new Set(loaded.map(packageOf));
    // Only packages left out of the bundle show as loaded modules: keep the on-demand ones out of it.
    expect(ON_DEMAND.filter((name) => !(UNBUNDLED as string[]).includes(name))).toEqual([]);
    // The check itself can fail: the bundle loads better-sqlite3 (native) from node_modules.
    expect(packages.has('better-sqlite3')).toBe(true);
    expect(ON_DEMAND.filter((name) => packages.has(name))).toEqual([]);
  }, 60_000);

  it('runs CLI commands on the local database, including a PDF export (a part of the bundle loaded on first use)', async () => {
    const ingest = await cli(['ingest', '-'], JSON.stringify(alert({ title: 'Bundled ingest on FS01', severity: 'High' })));
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    const exported = await cli(['--json', 'incidents', 'export', '1', '-o', 'incident.pdf']);
    expect(exported.stderr).toBe('');
    expect(JSON.parse(exported.stdout)).toMatchObject({ status: 'ready', savedTo: 'incident.pdf' });
    const pdf = fs.readFileSync(path.join(dir, 'incident.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
  }, 60_000);
});

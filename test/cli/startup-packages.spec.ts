import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Packages that only some requests (PDF export, email, markdown) or PostgreSQL need: loaded on first use. */
const ON_DEMAND = ['pdfkit', 'fontkit', 'nodemailer', 'pg', 'graphile-worker', 'sanitize-html', 'markdown-it'];
const RUNNER = `
const { createRequire } = await import('node:module');
const { main } = await import('./src/cli/main.ts');
await main(['node', 'vigil', 'serve']);
const health = await fetch('http://127.0.0.1:' + process.env.PORT + '/healthz');
const loaded = Object.keys(createRequire(process.cwd() + '/').cache);
console.log('RESULT ' + JSON.stringify({ status: health.status, loaded }));
process.exit(0);
`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-startup-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('a server on SQLite starts and answers without loading the packages only some requests need', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RUNNER], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  expect(line, output).toBeDefined();
  const { status, loaded } = JSON.parse(line!.slice('RESULT '.length)) as { status: number; loaded: string[] };
  expect(code).toBe(0);
  expect(status).toBe(200);
  const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
  const packages = new Set(loaded.map(packageOf));
  // The check itself can fail: the server does load CommonJS packages (better-sqlite3, fastify).
  expect(packages.has('better-sqlite3')).toBe(true);
  expect(ON_DEMAND.filter((name) => packages.has(name))).toEqual([]);
}, 60_000);

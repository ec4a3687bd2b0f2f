import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/database.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/processes.js';
import { alert } from '../support/fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNER = "import('./src/cli/main.ts').then((m) => m.main(['node', 'vigil', 'serve']))";
const ADMIN = { email: 'crash@example.test', password: 'crash test password 1' };

/** Starts `vigil serve` on the database in its own process and waits until it answers. */
async function startServer(database: TestDatabase): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    VIGIL_ADMIN_EMAIL: ADMIN.email,
    VIGIL_ADMIN_PASSWORD: ADMIN.password,
  };
  delete env.DATABASE_URL;
  if (database.target.kind === 'sqlite') env.DATA_DIR = path.dirname(database.target.file);
  else env.DATABASE_URL = database.target.url;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', RUNNER], { cwd: ROOT, env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited during start');
    if (Date.now() > deadline) throw new Error('server did not start');
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { child, url };
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Signs in as the administrator and makes an API token. */
async function tokenFor(url: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${url}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'crash', role: 'Owner' }),
  });
  return ((await created.json()) as { token: string }).token;
}

for (const dialect of testDialects()) {
  describe(`an acknowledged alert survives kill -9 of the server [${dialect}]`, () => {
    let database: TestDatabase;
    afterAll(() => database?.drop());

    it('keeps every acknowledged batch, whole, and restarts cleanly', async () => {
      database = await createTestDatabase(dialect);
      const { child, url } = await startServer(database);
      const token = await tokenFor(url);
      const rule = { name: 'crash-rule', grouping: { mode: 'allEntities' } };
      await fetch(`${url}/api/v1/workspaces/default/analytics-rules`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      });

      const acknowledged: string[] = [];
      let stop = false;
      const sender = async (lane: number) => {
        for (let batch = 0; !stop; batch += 1) {
          const alerts = Array.from({ length: 200 }, (_, i) =>
            alert({
              sourceAlertId: `crash-${lane}-${batch}-${i}`,
              analyticsRuleName: rule.name,
              entities: [{ kind: 'Host', hostName: `h${i % 7}` }],
            }),
          );
          try {
            const response = await fetch(`${url}/api/v1/workspaces/default/alerts`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ alerts }),
            });
            if (response.status === 201) acknowledged.push(...alerts.map((a) => a.sourceAlertId as string));
          } catch {
            return; // the server died mid-request: this batch was never acknowledged
          }
        }
      };
      const lanes = [sender(1), sender(2)];
      while (acknowledged.length < 2_000) await new Promise((r) => setTimeout(r, 10));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(lanes);

      const storage = openStorage(database.target);
      try {
        const stored = new Set<string>();
        for (let i = 0; i < acknowledged.length; i += 500) {
          const rows = await storage.db
            .selectFrom('alerts')
            .select('source_alert_id')
            .where('source_alert_id', 'in', acknowledged.slice(i, i + 500))
            .execute();
          for (const row of rows) stored.add(row.source_alert_id);
        }
        expect(stored.size).toBe(acknowledged.length);
        // No half-written batch: every incident counts exactly the alerts that point at it.
        const mismatched = await sql<{ n: number }>`
          select count(*) as n from incidents i
          where i.alert_count <> (select count(*) from alerts a where a.workspace_id = i.workspace_id and a.incident_id = i.id)`.execute(
          storage.db,
        );
        expect(Number(mismatched.rows[0]!.n)).toBe(0);
        const totals = await sql<{ counted: number; real: number }>`
          select (select coalesce(sum(count), 0) from incident_counts) as counted, (select count(*) from incidents) as real`.execute(
          storage.db,
        );
        expect(Number(totals.rows[0]!.counted)).toBe(Number(totals.rows[0]!.real));
      } finally {
        await storage.close();
      }

      const restarted = await startServer(database);
      expect((await fetch(`${restarted.url}/readyz`)).status).toBe(200);
      restarted.child.kill('SIGTERM');
      await new Promise((r) => restarted.child.once('exit', r));
    });
  });
}

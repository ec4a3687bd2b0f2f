import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrations } from '../../src/storage/migrations/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { runCli } from '../support/cli.js';

/** Runs `vigil <args>` in a child process on the data folder `dataDir`. */
function vigil(dataDir: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  return runCli(args, { DATA_DIR: dataDir, ...options.env }, options.input);
}

describe('vigil CLI on the local database', () => {
  let dir: string;
  let dataDir: string;
  let alertsFile: string;
  const run = (args: string[], options?: { input?: string }) => vigil(dataDir, args, options);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-'));
    dataDir = path.join(dir, 'data');
    alertsFile = path.join(dir, 'alerts.json');
    const alerts = [
      alert({
        sourceAlertId: 'cli-1',
        title: 'Mimikatz on FIN-LAPTOP-7',
        severity: 'High',
        productName: 'Microsoft Defender for Endpoint',
        entities: [{ kind: 'Host', hostName: 'fin-laptop-7' }],
      }),
      alert({
        sourceAlertId: 'cli-2',
        title: 'Impossible travel for alice',
        severity: 'Medium',
        entities: [{ kind: 'Account', accountName: 'alice', upnSuffix: 'contoso.com' }],
      }),
      alert({
        sourceAlertId: 'cli-3',
        title: 'Phishing mail delivered',
        severity: 'Low',
        productName: 'Microsoft Defender for Office 365',
        entities: [{ kind: 'Mailbox', mailboxPrimaryAddress: 'bob@contoso.com' }],
      }),
    ];
    fs.writeFileSync(alertsFile, JSON.stringify({ alerts }, null, 2));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrate creates the database in a fresh data folder, then reports it up to date', async () => {
    const first = await run(['migrate']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const names = Object.keys(migrations);
    expect(first.stdout).toContain(`Applied ${names.length} migration(s) to sqlite:`);
    expect(first.stdout).toContain(`vigil.db: ${names.join(', ')}`);
    expect(fs.existsSync(path.join(dataDir, 'vigil.db'))).toBe(true);
    const second = await run(['migrate']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`up to date (${names.length} migrations)`);
  });

  it('ingests a file and prints the counts; the same file again is all duplicates', async () => {
    const first = await run(['ingest', alertsFile]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Ingested 3 alert\(s\): 3 new, 0 grouped\b.*, 0 duplicate\(s\); 3 incident\(s\)/);
    const again = await run(['--json', 'ingest', alertsFile]);
    expect(again.code).toBe(0);
    const body = JSON.parse(again.stdout);
    expect(body.counts).toEqual({ new: 0, grouped: 0, duplicate: 3 });
    expect(body.results).toHaveLength(3);
  });

  it('ingests from stdin', async () => {
    const res = await run(['ingest', '-'], { input: JSON.stringify(alert({ sourceAlertId: 'cli-stdin', title: 'From stdin' })) });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Ingested 1 alert\(s\): 1 new/);
  });

  it('lists incidents as a table', async () => {
    const res = await run(['incidents', 'list']);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#\s+SEVERITY\s+STATUS\s+TITLE\s+OWNER\s+ALERTS/);
    expect(lines).toHaveLength(5);
    expect(res.stdout).toContain('Mimikatz on FIN-LAPTOP-7');
    expect(res.stdout).toContain('Phishing mail delivered');
    expect(res.stdout).toMatch(/\bHigh\s+New\s+Mimikatz/);
  });

  it('lists incidents as JSON, with filters', async () => {
    const res = await run(['--json', 'incidents', 'list']);
    expect(res.code).toBe(0);
    const page = JSON.parse(res.stdout);
    expect(page.items).toHaveLength(4);
    expect(page.items.map((i: any) => i.number).sort()).toEqual([1, 2, 3, 4]);
    const high = JSON.parse((await run(['--json', 'incidents', 'list', '--severity', 'High'])).stdout);
    expect(high.items.map((i: any) => i.title)).toEqual(['Mimikatz on FIN-LAPTOP-7']);
  });

  it('shows an incident with its latest activity', async () => {
    const res = await run(['incidents', 'show', '1']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Incident:\s+#1\s+Mimikatz on FIN-LAPTOP-7/);
    expect(res.stdout).toMatch(/Severity:\s+High/);
    expect(res.stdout).toMatch(/Status:\s+New/);
    expect(res.stdout).toContain('Latest activity:');
    expect(res.stdout).toMatch(/Alert grouping\s+incidentCreated/);
    const json = JSON.parse((await run(['--json', 'incidents', 'show', '1'])).stdout);
    expect(json.incident.number).toBe(1);
    expect(json.activity[0].action).toBe('incidentCreated');
  });

  it('updates one incident', async () => {
    const res = await run(['incidents', 'update', '1', '--status', 'Active']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Updated incident #1 \(Active, High\); etag/);
    const json = JSON.parse((await run(['--json', 'incidents', 'show', '1'])).stdout);
    expect(json.incident.status).toBe('Active');
    expect(json.activity[0]).toMatchObject({
      action: 'incidentUpdated',
      changes: [{ field: 'status', from: 'New', to: 'Active' }],
    });
  });

  it('updates several incidents at once', async () => {
    const res = await run(['incidents', 'update', '2', '3', '--severity', 'High', '--add-tag', 'triaged']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Updated 2 of 2 incident(s).');
    const page = JSON.parse((await run(['--json', 'incidents', 'list', '--severity', 'High'])).stdout);
    expect(page.items.map((i: any) => i.number).sort()).toEqual([1, 2, 3]);
    for (const incident of page.items.filter((i: any) => i.number !== 1)) expect(incident.tags).toEqual(['triaged']);
  });

  it('reports a bulk change that fails for some incidents with exit code 1', async () => {
    const res = await run(['incidents', 'update', '2', '999', '--severity', 'Low']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('Updated 1 of 2 incident(s).');
    expect(res.stdout).toMatch(/999: .*not found/i);
  });

  it('comments on an incident', async () => {
    const res = await run(['incidents', 'comment', '1', 'Isolated the **host**']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Comment [0-9a-f-]{36} added to incident 1\.$/m);
    const json = JSON.parse((await run(['--json', 'incidents', 'show', '1'])).stdout);
    expect(json.incident.commentCount).toBe(1);
    expect(json.activity[0]).toMatchObject({ action: 'commentAdded', comment: { message: 'Isolated the **host**' } });
    const piped = await run(['incidents', 'comment', '1', '-'], { input: 'from a pipe' });
    expect(piped.code).toBe(0);
  });

  it('creates an API token and prints it once', async () => {
    const res = await run(['tokens', 'create', '--name', 'x', '--role', 'Reader']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Token [0-9a-f-]{36} \(Reader in workspace default\)/);
    expect(res.stdout).toMatch(/^\s+vgl_[A-Za-z0-9_-]{20,}$/m);
    const json = JSON.parse((await run(['--json', 'tokens', 'create', '--name', 'y', '--role', 'Responder'])).stdout);
    expect(json.role).toBe('Responder');
    expect(json.token).toMatch(/^vgl_/);
    const list = await run(['tokens', 'list']);
    expect(list.stdout).toMatch(/\bx\s+default\s+Reader\b/);
    expect(list.stdout).not.toContain(json.token);
  });

  it('prints API errors to stderr with a non-zero exit code', async () => {
    const missing = await run(['incidents', 'show', '999']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/Incident 999 not found/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const invalid = await run(['incidents', 'update', '1', '--severity', 'Huge']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/severity/);
    const badRole = await run(['tokens', 'create', '--name', 'z', '--role', 'Emperor']);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/role/);
  });

  it('rejects a file that is not JSON', async () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"alerts": [');
    const res = await run(['ingest', broken]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('is not valid JSON');
  });

  it('strips terminal control sequences from stored text in tables', async () => {
    const evil = alert({ sourceAlertId: 'cli-evil', title: 'Evil \u001b[2J\u001b[31mtitle\u0007' });
    expect((await run(['ingest', '-'], { input: JSON.stringify(evil) })).code).toBe(0);
    const res = await run(['incidents', 'list']);
    expect(res.stdout).toContain('Evil title');
    expect(res.stdout).not.toMatch(/[\u001b\u0007]/);
  });

  it('fails on invalid configuration naming the setting', async () => {
    const res = await vigil(dataDir, ['incidents', 'list'], { env: { LOG_LEVEL: 'chatty' } });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('LOG_LEVEL');
  });
});

describe('vigil CLI against a remote server (--url, --token)', () => {
  let t: TestApp;
  let url: string;
  let scratch: string;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    await t.app.server.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    expect((await t.post(t.ws('/alerts'), alert({ title: 'Remote alert', severity: 'Medium' }))).status).toBe(201);
    // An empty data folder: the CLI must not touch a local database when --url is given.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-remote-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('lists, updates and comments through the API', async () => {
    const list = await vigil(scratch, ['--url', url, '--token', t.token, 'incidents', 'list']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^1\s+Medium\s+New\s+Remote alert/m);

    const update = await vigil(scratch, [
      '--url',
      url,
      '--token',
      t.token,
      '--json',
      'incidents',
      'update',
      '1',
      '--severity',
      'High',
    ]);
    expect(update.code).toBe(0);
    expect(JSON.parse(update.stdout).severity).toBe('High');
    expect((await t.get(t.ws('/incidents/1'))).body.severity).toBe('High');

    const comment = await vigil(scratch, ['incidents', 'comment', '1', 'via env'], {
      env: { VIGIL_URL: url, VIGIL_TOKEN: t.token },
    });
    expect(comment.code).toBe(0);
    const comments = await t.get(t.ws('/incidents/1/comments'));
    expect(comments.body.items[0]).toMatchObject({ message: 'via env', author: { id: t.adminId } });
    expect(fs.existsSync(path.join(scratch, 'vigil.db'))).toBe(false);
  });

  it('reports a bad token', async () => {
    const res = await vigil(scratch, ['--url', url, '--token', 'vgl_wrong', 'incidents', 'list']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/token/i);
    expect(res.stdout).toBe('');
  });
});

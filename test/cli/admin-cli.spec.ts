import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { runCli } from '../support/cli.js';

/** The indented one-time password line the CLI prints. */
function oneTimePasswordIn(stdout: string): string {
  const match = stdout.match(/shown only now[^\n]*\n\n {2}(\S+)\n/);
  expect(match, stdout).not.toBeNull();
  return match![1]!;
}

describe('vigil administration commands on the local database', () => {
  let dir: string;
  let dataDir: string;
  const run = (args: string[]) => runCli(args, { DATA_DIR: dataDir });

  /** Opens the app on the same data folder in-process, runs `fn`, and closes it. */
  async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
    const app = await createApp(loadConfig({ DATA_DIR: dataDir }), { logger: createLogger('silent') });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  }

  const signIn = (app: App, email: string, password: string, ip = '10.5.5.5') =>
    app.server
      .inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email, password }),
        remoteAddress: ip,
      })
      .then((res) => ({ status: res.statusCode, body: JSON.parse(res.body) }));

  let anaPassword: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-admin-cli-'));
    dataDir = path.join(dir, 'data');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('users create prints a one-time password that signs in (and must then be changed)', async () => {
    const res = await run(['users', 'create', '--email', 'ana@contoso.test', '--name', 'Ana Lyst']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Created user ana@contoso\.test\.$/m);
    anaPassword = oneTimePasswordIn(res.stdout);
    expect(anaPassword.length).toBeGreaterThanOrEqual(12);

    const withPassword = await run([
      '--json',
      'users',
      'create',
      '--email',
      'bob@contoso.test',
      '--name',
      'Bob Builder',
      '--password',
      'bob has a long password',
    ]);
    expect(withPassword.code).toBe(0);
    const bob = JSON.parse(withPassword.stdout);
    expect(bob).toMatchObject({ user: { email: 'bob@contoso.test', mustChangePassword: false }, oneTimePassword: null });
    expect(withPassword.stdout).not.toMatch(/bob has a long password|scrypt/);

    await withApp(async (app) => {
      const ana = await signIn(app, 'ana@contoso.test', anaPassword);
      expect(ana.status).toBe(200);
      expect(ana.body.user).toMatchObject({ email: 'ana@contoso.test', displayName: 'Ana Lyst', mustChangePassword: true });
      expect((await signIn(app, 'bob@contoso.test', 'bob has a long password')).status).toBe(200);
    });

    const duplicate = await run(['users', 'create', '--email', 'ANA@contoso.test', '--name', 'Ana Again']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stdout).toBe('');
    expect(duplicate.stderr).toMatch(/already exists/);
  });

  it('users list shows everyone, or those matching -q', async () => {
    const all = await run(['users', 'list']);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^EMAIL\s+NAME\s+ADMIN\s+DISABLED\s+LAST SIGN-IN$/);
    expect(all.stdout).toMatch(/^admin@vigil\.local\s+Administrator\s+yes\b/m);
    expect(all.stdout).toMatch(/^ana@contoso\.test\s+Ana Lyst\b/m);
    expect(lines).toHaveLength(4);
    const some = JSON.parse((await run(['--json', 'users', 'list', '-q', 'builder'])).stdout);
    expect(some.items.map((u: any) => u.email)).toEqual(['bob@contoso.test']);
    expect(JSON.stringify(some)).not.toMatch(/scrypt|passwordHash|password_hash/i);
  });

  it('users reset-password prints a new one-time password; the old one stops working', async () => {
    const res = await run(['users', 'reset-password', 'ana@contoso.test']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Password of ana@contoso\.test reset; their sessions ended\./);
    const fresh = oneTimePasswordIn(res.stdout);
    expect(fresh).not.toBe(anaPassword);
    await withApp(async (app) => {
      expect((await signIn(app, 'ana@contoso.test', anaPassword, '10.5.5.6')).status).toBe(401);
      const ok = await signIn(app, 'ana@contoso.test', fresh);
      expect(ok.status).toBe(200);
      expect(ok.body.user.mustChangePassword).toBe(true);
    });
  });

  it('users disable: the user can no longer sign in', async () => {
    const res = await run(['users', 'disable', 'bob@contoso.test']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/bob@contoso\.test is disabled/);
    const listed = JSON.parse((await run(['--json', 'users', 'list', '-q', 'bob'])).stdout);
    expect(listed.items[0].disabled).toBe(true);
    await withApp(async (app) => {
      expect((await signIn(app, 'bob@contoso.test', 'bob has a long password', '10.5.5.7')).status).toBe(401);
    });
  });

  it('groups create, add and list', async () => {
    const created = await run(['groups', 'create', 'SOC Tier 1']);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toBe('Group SOC Tier 1: no members.');
    const added = await run(['groups', 'add', 'SOC Tier 1', 'ana@contoso.test']);
    expect(added.code).toBe(0);
    expect(added.stdout.trim()).toBe('Group SOC Tier 1: ana@contoso.test.');
    const list = await run(['groups', 'list']);
    expect(list.stdout).toMatch(/^GROUP\s+MEMBERS$/m);
    expect(list.stdout).toMatch(/^SOC Tier 1\s+ana@contoso\.test$/m);
    const again = await run(['groups', 'create', 'soc tier 1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('workspaces create, list --all, grant, members and archive', async () => {
    const created = await run(['workspaces', 'create', 'contoso', '--name', 'Contoso']);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('Created workspace contoso (Contoso).');
    const bad = await run(['workspaces', 'create', 'Bad Id', '--name', 'Bad']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/lower-case/);

    const all = await run(['workspaces', 'list', '--all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^ID\s+NAME\s+ARCHIVED\s+YOUR ROLES$/m);
    expect(all.stdout).toMatch(/^contoso\s+Contoso\s+Owner$/m);
    expect(all.stdout).toMatch(/^default\s+Default\s+Owner$/m);

    const grant = await run(['-w', 'contoso', 'workspaces', 'grant', 'ana@contoso.test', '--role', 'Responder']);
    expect(grant.stderr).toBe('');
    expect(grant.stdout.trim()).toBe('ana@contoso.test now holds Responder in contoso.');
    expect((await run(['-w', 'contoso', 'workspaces', 'grant', 'SOC Tier 1', '--role', 'Reader'])).code).toBe(0);
    const members = await run(['-w', 'contoso', 'workspaces', 'members']);
    expect(members.code).toBe(0);
    expect(members.stdout).toMatch(/^TYPE\s+NAME\s+EMAIL\s+ROLES$/m);
    expect(members.stdout).toMatch(/^user\s+Ana Lyst\s+ana@contoso\.test\s+Responder$/m);
    expect(members.stdout).toMatch(/^group\s+SOC Tier 1\s+Reader$/m);
    expect(members.stdout).toMatch(/^user\s+Administrator\s+admin@vigil\.local\s+Owner$/m);
    const defaultMembers = await run(['workspaces', 'members']);
    expect(defaultMembers.stdout).not.toContain('ana@contoso.test');

    const archived = await run(['workspaces', 'archive', 'contoso']);
    expect(archived.code).toBe(0);
    expect(archived.stdout.trim()).toBe('Workspace contoso archived: read-only.');
    const listed = JSON.parse((await run(['--json', 'workspaces', 'list', '--all'])).stdout);
    expect(listed.items.find((w: any) => w.id === 'contoso')).toMatchObject({ archived: true });
    const current = JSON.parse((await run(['--json', 'workspaces', 'list'])).stdout);
    expect(current.items.map((w: any) => w.id)).toEqual(['default']);
    const refused = await run(['-w', 'contoso', 'workspaces', 'grant', 'ana@contoso.test', '--role', 'Owner']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/archived/);
  });

  it('tokens create --role Reader, then revoke', async () => {
    const created = await run(['--json', 'tokens', 'create', '--name', 'script', '--role', 'Reader']);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout);
    expect(token).toMatchObject({ name: 'script', role: 'Reader', workspaceId: 'default', revokedAt: null });
    expect(token.token).toMatch(/^vgl_/);
    const read = (app: App) =>
      app.server.inject({
        method: 'GET',
        url: '/api/v1/workspaces/default/incidents',
        headers: { authorization: `Bearer ${token.token}` },
      });
    await withApp(async (app) => expect((await read(app)).statusCode).toBe(200));

    const revoked = await run(['tokens', 'revoke', token.id]);
    expect(revoked.stderr).toBe('');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout.trim()).toBe(`Token ${token.id} revoked.`);
    await withApp(async (app) => expect((await read(app)).statusCode).toBe(401));
    const list = JSON.parse((await run(['--json', 'tokens', 'list'])).stdout);
    expect(list.items.find((i: any) => i.id === token.id).revokedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(token.token);
  });

  it('reports errors (unknown user, group, token) on stderr with exit code 1', async () => {
    const cases: [string[], RegExp][] = [
      [['users', 'reset-password', 'nobody@contoso.test'], /User nobody@contoso\.test not found/],
      [['users', 'disable', 'nobody@contoso.test'], /User nobody@contoso\.test not found/],
      [['groups', 'add', 'SOC Tier 1', 'nobody@contoso.test'], /User nobody@contoso\.test not found/],
      [['groups', 'add', 'No Such Group', 'ana@contoso.test'], /Group No Such Group not found/],
      [['workspaces', 'grant', 'nobody@contoso.test', '--role', 'Reader'], /no user nobody@contoso\.test/i],
      [['tokens', 'revoke', 'no-such-token'], /Token no-such-token not found/],
    ];
    for (const [args, message] of cases) {
      const res = await run(args);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stdout, args.join(' ')).toBe('');
      expect(res.stderr, args.join(' ')).toMatch(message);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

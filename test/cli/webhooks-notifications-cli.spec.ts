import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startFakeServer, startSmtpSink, text, type FakeServer, type SmtpSink } from '../support/fakes/index.js';
import { describeEachDialect } from '../support/test-app.js';
import { runCli } from '../support/cli.js';

describeEachDialect('vigil webhooks and vigil notifications (local database)', (dialect) => {
  let dir: string;
  let database: TestDatabase;
  let receiver: FakeServer;
  let sink: SmtpSink;
  const env = () => ({
    ...(database.target.kind === 'postgres'
      ? { DATABASE_URL: database.target.url }
      : { DATA_DIR: path.dirname(database.target.file) }),
    VIGIL_EGRESS_ALLOWLIST: '127.0.0.1',
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    SMTP_FROM: 'Vigil <vigil@contoso.example>',
  });
  const run = (args: string[]) => runCli(args, env());
  const ok = async (args: string[]) => {
    const res = await run(args);
    expect(res.stderr, `vigil ${args.join(' ')}`).toBe('');
    expect(res.code, `vigil ${args.join(' ')}`).toBe(0);
    return res.stdout;
  };
  const refused = async (args: string[]) => {
    const res = await run(args);
    expect(res.code, `vigil ${args.join(' ')}`).toBe(1);
    return res.stderr;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-hooks-cli-'));
    database = await createTestDatabase(dialect);
    receiver = await startFakeServer(() => text(204, ''));
    sink = await startSmtpSink();
    await ok(['migrate']);
    const bundle = path.join(dir, 'analytics.json');
    fs.writeFileSync(bundle, JSON.stringify({ analyticsRules: [{ name: 'Impossible travel' }], alerts: [] }));
    await ok(['ingest', bundle]);
  }, 120_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await receiver?.close();
    await sink?.close();
    await database.drop();
  });

  it('creates a webhook (printing its secret once), pings it, disables, rotates and deletes it', async () => {
    const created = await ok([
      'webhooks',
      'create',
      '--name',
      'SOAR bridge',
      '--endpoint',
      `${receiver.url}/hooks/vigil`,
      '--event',
      'incident.created',
      '--event',
      'comment.added',
      '--secret',
      'a-shared-secret-of-32-characters',
    ]);
    expect(created).toMatch(/^Created webhook "SOAR bridge"/);
    expect(created).toMatch(/secret:\s+a-shared-secret-of-32-characters/);
    const listed = JSON.parse(await ok(['--json', 'webhooks', 'list'])).items;
    expect(listed.map((w: any) => [w.name, w.enabled, w.events])).toEqual([
      ['SOAR bridge', true, ['incident.created', 'comment.added']],
    ]);
    expect(JSON.stringify(listed)).not.toContain('a-shared-secret');

    expect(await ok(['webhooks', 'test', 'soar bridge'])).toMatch(/^Delivered: HTTP 204 in \d+ ms\.$/m);
    const ping = receiver.requests.at(-1)!;
    expect(ping.path).toBe('/hooks/vigil');
    expect(ping.headers['x-vigil-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await ok(['webhooks', 'deliveries', 'SOAR bridge', '--limit', '10'])).toBe('No deliveries.\n');

    expect(await ok(['webhooks', 'disable', 'SOAR bridge'])).toBe('Webhook "SOAR bridge" is disabled.\n');
    expect((await ok(['webhooks', 'list'])).split('\n')[1]).toMatch(/^SOAR bridge\s+disabled\s+http:\/\/127\.0\.0\.1/);
    await ok(['webhooks', 'enable', 'SOAR bridge']);
    const rotated = JSON.parse(await ok(['--json', 'webhooks', 'rotate-secret', 'SOAR bridge']));
    expect(rotated.secret).toMatch(/.{16,}/);
    expect(rotated.secret).not.toBe('a-shared-secret-of-32-characters');

    expect(
      await refused(['webhooks', 'create', '--name', 'Bad', '--endpoint', 'ftp://example.com', '--event', 'incident.created']),
    ).toMatch(/url must be an absolute http\(s\) URL/);
    expect(await refused(['webhooks', 'deliveries', 'SOAR bridge', '--limit', '0'])).toMatch(
      /--limit 0: must be a whole number from 1 to 500/,
    );
    expect(await refused(['webhooks', 'test', 'No such hook'])).toMatch(/not found/i);
    expect(await ok(['webhooks', 'delete', 'SOAR bridge'])).toBe('Deleted webhook "SOAR bridge".\n');
    expect(await ok(['webhooks', 'list'])).toBe('No webhooks.\n');
  });

  it('applies notification rules from YAML, exports them back, test-sends through SMTP and deletes', async () => {
    const file = path.join(dir, 'high-travel.yaml');
    const rule = {
      name: 'High impossible travel to the SOC desk',
      triggers: { created: true, updates: ['severity'] },
      filters: { severities: ['High'], analyticsRules: ['Impossible travel'] },
      recipients: { addresses: ['soc-desk@contoso.example'] },
    };
    fs.writeFileSync(file, YAML.stringify(rule));
    expect(await ok(['notifications', 'apply', file])).toMatch(/^created\s+High impossible travel to the SOC desk/);
    expect(await ok(['notifications', 'apply', file])).toMatch(/^unchanged\s+High impossible travel/);
    fs.writeFileSync(file, YAML.stringify({ ...rule, digestAfter: 3 }));
    expect(await ok(['notifications', 'apply', file])).toMatch(/^updated\s+High impossible travel/);
    const [saved] = JSON.parse(await ok(['--json', 'notifications', 'list'])).items;
    expect(saved).toMatchObject({ digestAfter: 3, filters: { analyticsRules: [{ name: 'Impossible travel' }] } });
    expect((await ok(['notifications', 'list'])).split('\n')[1]).toMatch(
      /^High impossible travel to the SOC desk\s+enabled\s+created, updated: severity\s+soc-desk@contoso\.example$/,
    );

    const out = path.join(dir, 'exported');
    expect(await ok(['notifications', 'export', out])).toMatch(/Wrote 1 rule\(s\)/);
    const exported = YAML.parse(fs.readFileSync(path.join(out, 'high-impossible-travel-to-the-soc-desk.yaml'), 'utf8'));
    expect(exported).toMatchObject({
      ...rule,
      digestAfter: 3,
      enabled: true,
      filters: { analyticsRules: ['Impossible travel'] },
    });
    expect(await ok(['notifications', 'apply', path.join(out, 'high-impossible-travel-to-the-soc-desk.yaml')])).toMatch(
      /^unchanged/,
    );

    expect(await ok(['notifications', 'test', 'high impossible travel to the soc desk'])).toMatch(
      /soc-desk@contoso\.example\s+sent/,
    );
    const [mail] = await sink.waitForMessages(1);
    expect(mail!.to).toContain('soc-desk@contoso.example');

    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, YAML.stringify({ name: 'Nobody to mail', triggers: { created: true }, recipients: {} }));
    const refusal = await refused(['notifications', 'apply', bad]);
    expect(refusal).toMatch(/bad\.yaml: .*recipients/);
    expect(refusal).toMatch(/needs at least one user, group or address/);
    expect(await refused(['notifications', 'apply', path.join(dir, 'missing.yaml')])).toMatch(/missing\.yaml: no such file/);
    expect(await ok(['notifications', 'deliveries', 'High impossible travel to the SOC desk'])).toBe('No deliveries.\n');
    expect(await ok(['notifications', 'delete', 'High impossible travel to the SOC desk'])).toMatch(/^Deleted notification rule/);
    expect(await ok(['notifications', 'list'])).toBe('No notification rules.\n');
  });
});

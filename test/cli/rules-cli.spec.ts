import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { describeEachDialect } from '../support/test-app.js';
import { runCli } from '../support/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(ROOT, 'test/fixtures/corpus/sentinel/automation-rules');
const SPEC = path.join(CORPUS, 'spec-2024-09-01-AutomationRules_CreateOrUpdate.json');
const QUICKSTART = path.join(CORPUS, 'quickstart-sentinel-automation-rule-azuredeploy.json');
const ARM =
  '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/myWorkspace/providers/Microsoft.SecurityInsights/alertRules';

describeEachDialect('vigil rules (local database)', (dialect) => {
  let dir: string;
  let database: TestDatabase;
  const env = () =>
    database.target.kind === 'postgres'
      ? { DATABASE_URL: database.target.url }
      : { DATA_DIR: path.dirname(database.target.file) };

  const run = (args: string[]) => runCli(args, env());
  const ok = async (args: string[]) => {
    const res = await run(args);
    expect(res.stderr, `vigil ${args.join(' ')}`).toBe('');
    expect(res.code, `vigil ${args.join(' ')}`).toBe(0);
    return res.stdout;
  };
  const list = async () => JSON.parse(await ok(['--json', 'rules', 'list'])).items as any[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-rules-cli-'));
    database = await createTestDatabase(dialect);
    await ok(['migrate']);
    const bundle = path.join(dir, 'analytics.json');
    fs.writeFileSync(
      bundle,
      JSON.stringify({
        analyticsRules: [
          { name: 'Impossible travel', externalId: `${ARM}/fab3d2d4-747f-46a7-8ef0-9c0be8112bf7` },
          { name: 'Password spray', externalId: `${ARM}/8deb8303-e94d-46ff-96e0-5fd94b33df1a` },
          { name: 'Urgent phishing', externalId: `${ARM}/5a3f0c1e-2b7d-4e8a-9c6f-1d2e3f4a5b6c` },
        ],
        alerts: [],
      }),
    );
    expect(await ok(['ingest', bundle])).toMatch(/Created 3 analytics rule\(s\)/);
  }, 120_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  it('imports Sentinel files; an ARM template needs --param values, and reports the unresolved ones without them', async () => {
    expect(await ok(['rules', 'import', SPEC, '--format', 'sentinel'])).toMatch(
      /^Imported 1 of 1 rule\(s\): 1 created, 0 updated, 0 skipped\.\ncreated  Suspicious user sign-in events/,
    );
    const bare = await run(['rules', 'import', QUICKSTART, '--format', 'sentinel']);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toMatch(/0 created, 0 updated, 1 skipped/);
    expect(bare.stdout).toMatch(/unresolved: document\.resources\[0\]\.properties\.displayName: could not resolve/);
    const args = ['rules', 'import', QUICKSTART, '--format', 'sentinel', '--param', 'existingWorkspaceName=myWorkspace'];
    args.push(
      '--param',
      'automationRuleName=Close urgent high',
      '--param',
      'existingRuleId=5a3f0c1e-2b7d-4e8a-9c6f-1d2e3f4a5b6c',
    );
    const out = await ok(args);
    expect(out).toMatch(/1 created/);
    expect(out).toMatch(/note: .*classificationComment: missing/);
    const rules = await list();
    expect(rules.map((r) => [r.name, r.analyticsRules?.map((a: any) => a.name)])).toEqual([
      ['Suspicious user sign-in events', ['Impossible travel', 'Password spray']],
      ['Close urgent high', ['Urgent phishing']],
    ]);
    expect((await ok(['rules', 'list'])).split('\n')[0]).toMatch(/^ORDER\s+NAME\s+TRIGGER\s+STATE\s+ANALYTICS RULES\s+ACTIONS$/);
    const again = await run(['rules', 'import', SPEC]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/skipped  Suspicious user sign-in events .*exists; import with mode "upsert"/);
    expect(await ok(['rules', 'import', SPEC, '--mode', 'upsert'])).toMatch(/1 updated/);
  });

  it('exports Sentinel JSON to stdout or a file, which imports back', async () => {
    const stdout = JSON.parse(await ok(['rules', 'export', '--format', 'sentinel']));
    expect(stdout.value.map((r: any) => r.properties.displayName)).toEqual([
      'Suspicious user sign-in events',
      'Close urgent high',
    ]);
    const file = path.join(dir, 'export.json');
    expect(await ok(['rules', 'export', '--format', 'sentinel', '-o', file])).toBe(`Wrote 2 rule(s) to ${file}.\n`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(stdout);
    expect(await ok(['rules', 'import', file, '--mode', 'upsert'])).toMatch(/0 created, 2 updated, 0 skipped/);
  });

  it('rules as code: export to YAML, edit, delete, add; apply --dry-run changes nothing; apply makes the workspace match', async () => {
    const code = path.join(dir, 'rules');
    expect(await ok(['rules', 'export', code])).toMatch(/Wrote 2 rule\(s\)/);
    expect(fs.readdirSync(code).sort()).toEqual(['close-urgent-high.yaml', 'suspicious-user-sign-in-events.yaml']);
    const editedFile = path.join(code, 'suspicious-user-sign-in-events.yaml');
    const edited = YAML.parse(fs.readFileSync(editedFile, 'utf8'));
    expect(edited.analyticsRuleIds).toHaveLength(2);
    edited.order = 5;
    edited.actions.push({ type: 'addTags', tags: ['identity'] });
    fs.writeFileSync(editedFile, YAML.stringify(edited));
    fs.rmSync(path.join(code, 'close-urgent-high.yaml'));
    fs.writeFileSync(
      path.join(code, 'escalate.yaml'),
      [
        'name: Escalate sprays',
        'order: 3',
        'trigger: incidentCreated',
        'analyticsRuleIds: [Password spray]',
        'conditions:',
        '  - { type: property, property: AccountUPNSuffix, operator: Equals, values: [contoso.com] }',
        'actions:',
        '  - { type: changeSeverity, severity: High }',
        '',
      ].join('\n'),
    );

    const before = await list();
    const plan = await ok(['rules', 'apply', code, '--dry-run']);
    expect(plan.trimEnd().split('\n')).toEqual([
      '+ create    Escalate sprays',
      '~ update    Suspicious user sign-in events (order, actions)',
      '- delete    Close urgent high',
      'Dry run: 1 to create, 1 to update, 1 to delete; nothing was changed.',
    ]);
    expect(await list()).toEqual(before);

    expect(await ok(['rules', 'apply', code])).toMatch(/Applied: 1 created, 1 updated, 1 deleted, 0 unchanged\.\n$/);
    const after = await list();
    expect(after.map((r) => [r.name, r.order])).toEqual([
      ['Escalate sprays', 3],
      ['Suspicious user sign-in events', 5],
    ]);
    expect(after[0].analyticsRules.map((a: any) => a.name)).toEqual(['Password spray']);
    expect(after[1].actions.at(-1)).toEqual({ type: 'addTags', tags: ['identity'] });
    expect(after[1].id).toBe(before.find((r) => r.name === 'Suspicious user sign-in events').id);

    expect(await ok(['rules', 'apply', code])).toMatch(/Nothing to change: the workspace matches the files\.\n$/);
    const json = JSON.parse(await ok(['--json', 'rules', 'apply', code, '--dry-run']));
    expect(json.steps.map((s: any) => s.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('refuses an invalid rule file, naming the file and the path, and changes nothing', async () => {
    const code = path.join(dir, 'broken');
    fs.mkdirSync(code);
    fs.writeFileSync(
      path.join(code, 'bad.yaml'),
      'name: Bad\norder: 1\ntrigger: incidentCreated\nactions:\n  - { type: addTask }\n',
    );
    const before = await list();
    const res = await run(['rules', 'apply', code]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/bad\.yaml: actions\.0\.title: /);
    expect(await list()).toEqual(before);
  });

  it("dry-runs a rule file and a saved rule over existing incidents, and shows a rule's run log", async () => {
    const alert = (id: string, title: string) => ({
      sourceAlertId: id,
      title,
      severity: 'Medium',
      productName: 'Azure AD Identity Protection',
      entities: [{ kind: 'Account', accountName: id }],
    });
    const alerts = path.join(dir, 'alerts-1.json');
    fs.writeFileSync(
      alerts,
      JSON.stringify({ alerts: [alert('a1', 'Impossible travel for alice'), alert('a2', 'Password spray')] }),
    );
    await ok(['ingest', alerts]);

    const code = path.join(dir, 'travel');
    fs.mkdirSync(code);
    const file = path.join(code, 'travel.yaml');
    fs.writeFileSync(
      file,
      YAML.stringify({
        name: 'Tag travel',
        order: 7,
        trigger: 'incidentCreated',
        conditions: [{ type: 'property', property: 'IncidentTitle', operator: 'Contains', values: ['travel'] }],
        actions: [
          { type: 'addTags', tags: ['travel-check'] },
          { type: 'addTask', title: 'Call the user' },
        ],
      }),
    );
    // A draft from a file: tried on the incidents, nothing saved or changed.
    const before = await list();
    const dry = await ok(['rules', 'test', file]);
    expect(dry).toMatch(/^Tried on \d+ incident\(s\): 1 match\. Nothing was changed\.\n/);
    expect(dry).toMatch(/Impossible travel for alice\s+tags: \(none\) → travel-check; add task "Call the user"/);
    const dryJson = JSON.parse(await ok(['--json', 'rules', 'test', file, '--status', 'New', '--limit', '5']));
    expect(dryJson.matched).toBe(1);
    expect(dryJson.items[0].tasks).toEqual([{ title: 'Call the user', description: '' }]);
    expect(await list()).toEqual(before);

    // Saved, it runs on new incidents; its run log names them and how each run went.
    await ok(['rules', 'apply', code]);
    expect(await ok(['rules', 'runs', 'Tag travel'])).toBe('"Tag travel" has not run yet.\n');
    const more = path.join(dir, 'alerts-2.json');
    fs.writeFileSync(more, JSON.stringify({ alerts: [alert('a3', 'Impossible travel for bob'), alert('a4', 'Malware')] }));
    await ok(['ingest', more]);
    const runs = (await ok(['rules', 'runs', 'tag TRAVEL'])).trimEnd().split('\n');
    expect(runs[0]).toMatch(/^WHEN\s+TRIGGER\s+ON\s+OUTCOME\s+ACTIONS$/);
    expect(runs.slice(1)).toHaveLength(1);
    expect(runs[1]).toMatch(/incidentCreated\s+incident \d+\s+applied\s+all applied$/);
    const runsJson = JSON.parse(await ok(['--json', 'rules', 'runs', 'Tag travel', '--limit', '10']));
    expect(runsJson.items).toHaveLength(1);
    expect(runsJson.items[0]).toMatchObject({ ruleName: 'Tag travel', trigger: 'incidentCreated', outcome: 'applied' });

    // The saved rule by name: the incident it already tagged now only gets another task.
    const saved = JSON.parse(await ok(['--json', 'rules', 'test', 'Tag travel']));
    expect(saved.matched).toBe(2);
    const bob = saved.items.find((i: any) => i.incident.title === 'Impossible travel for bob');
    expect(bob.changes).toEqual([]);
    expect(bob.results.map((r: any) => r.outcome)).toEqual(['unchanged', 'applied']);

    const missing = await run(['rules', 'runs', 'No such rule']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('no automation rule has the id or name "No such rule"\n');
    const badLimit = await run(['rules', 'test', 'Tag travel', '--limit', '0']);
    expect(badLimit.code).toBe(1);
    expect(badLimit.stderr).toBe('--limit 0: give a whole number from 1 to 1000\n');
  });
});

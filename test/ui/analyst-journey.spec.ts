import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn, startUiHarness, type UiHarness } from '../support/browser.js';
import { createUser } from '../support/people.js';
import { describeEachDialect } from '../support/test-app.js';

const EXAMPLES = path.join(import.meta.dirname, '..', '..', 'examples', 'alerts.json');

const TRIAGE_PLAYBOOK = `name: Add a triage note
description: Comments on the incident with its alert and account counts
trigger: { type: manual, targets: [incident] }
steps:
  - id: accounts
    uses: incident.getEntities
    with: { kind: Account }
  - id: note
    uses: incident.addComment
    with:
      message: "Triage: \${{ $string(steps.accounts.output.count) }} account(s) involved."
`;

type Json = Record<string, any>;

/**
 * The end-to-end walk through the UI, in one browser session on a fresh database, once
 * per dialect: sign in, ingest sample alerts, filter the queue and copy its link, assign three
 * incidents at once, work one incident (task, ad-hoc task, markdown comment, close), create an
 * automation rule and see it on a new incident, run a playbook and open its run.
 */
describeEachDialect("web UI: an analyst's day", (dialect) => {
  let ui: UiHarness;
  let page: Page;
  let ana: { id: string };
  const get = async (url: string): Promise<Json> => {
    const res = await ui.api.get(ui.api.ws(url));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    ui = await startUiHarness(dialect, { worker: true });
    ana = await createUser(ui.api, { email: 'ana@example.test', name: 'Ana Analyst', role: 'Responder' });
    // Every new incident gets the first-response checklist item (a rule set up before the day starts).
    const rule = await ui.api.post(ui.api.ws('/automation-rules'), {
      name: 'First response',
      order: 1,
      trigger: 'incidentCreated',
      actions: [{ type: 'addTask', title: 'Confirm the alert is not a test', description: '' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const playbook = await ui.api.post(ui.api.ws('/playbooks'), { source: TRIAGE_PLAYBOOK });
    expect(playbook.status, JSON.stringify(playbook.body)).toBe(201);
    page = await ui.newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.baseUrl });
  }, 90_000);
  afterAll(async () => ui?.close());

  it('signs in, and sample alerts from a detection source become incidents in the queue', async () => {
    await signIn(page);
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    // The sample bundle, as `vigil ingest examples/alerts.json` sends it: its analytics rules, then its alerts.
    const bundle = JSON.parse(fs.readFileSync(EXAMPLES, 'utf8')) as { analyticsRules: Json[]; alerts: Json[] };
    for (const rule of bundle.analyticsRules) expect((await ui.api.post(ui.api.ws('/analytics-rules'), rule)).status).toBe(201);
    const ingested = await ui.api.post(ui.api.ws('/alerts'), { alerts: bundle.alerts });
    expect(ingested.status, JSON.stringify(ingested.body)).toBe(201);
    const total = (await get('/incidents/counts')).total as number;
    expect(total).toBeGreaterThan(5);
    // Live updates bring them in without a reload.
    await expect
      .poll(() => page.getByRole('group', { name: 'Incident counts' }).textContent(), { timeout: 15_000 })
      .toMatch(new RegExp(`^${total}Incidents`));
  });

  it('filters the queue, and the copied link shows the same list', async () => {
    await page.getByRole('button', { name: /^Severity:/ }).click();
    await page.getByRole('group', { name: 'Severity filter' }).getByRole('checkbox', { name: 'High' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/severity=High/);
    const high = ((await get('/incidents?severity=High&limit=100')).items as Json[]).map((i) => i.title as string).sort();
    const shown = async (p: Page) => (await p.locator('tbody tr a[href*="/incidents/"]').allTextContents()).sort();
    await expect.poll(() => shown(page)).toEqual(high);

    await page.getByRole('button', { name: 'Copy list link' }).click();
    await page.getByText('Link copied').waitFor();
    const link = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    );
    expect(new URL(link).searchParams.getAll('severity')).toEqual(['High']);
    const other = await page.context().newPage();
    await other.goto(link);
    await expect.poll(() => shown(other)).toEqual(high);
    await other.close();
  });

  it('assigns three incidents at once', async () => {
    await page.goto('/w/default/incidents?status=New&sort=number&order=asc');
    const numbers = ((await get('/incidents?status=New&sort=number&order=asc&limit=3')).items as Json[]).map((i) => i.number);
    for (const n of numbers) await page.getByRole('checkbox', { name: `Select incident ${n}`, exact: true }).check();
    await page.getByRole('button', { name: 'Manage incidents (3)' }).click();
    const pane = page.getByRole('dialog', { name: 'Manage incidents' });
    await pane.getByRole('combobox', { name: 'Owner' }).fill('Ana');
    await pane.getByRole('option', { name: /Ana Analyst/ }).click();
    await pane.getByRole('button', { name: 'Apply to 3' }).click();
    await page.getByText('Updated 3 incidents.').waitFor();
    const owned = (await get(`/incidents?owner=${ana.id}&limit=100`)).items as Json[];
    expect(owned.map((i) => i.number).sort()).toEqual([...numbers].sort());
  });

  it('works an incident: completes a task, adds one, comments in markdown, closes it with a classification', async () => {
    const [incident] = (await get('/incidents?status=New&severity=High&sort=number&limit=1')).items as Json[];
    await page.goto('/w/default/incidents?severity=High');
    await page.getByRole('link', { name: incident!.title, exact: true }).first().click();
    await page.waitForURL(new RegExp(`/incidents/${incident!.number}$`));

    await page.getByRole('checkbox', { name: 'Confirm the alert is not a test' }).check();
    await expect
      .poll(async () => ((await get(`/incidents/${incident!.number}/tasks`)).items as Json[]).map((t) => t.status))
      .toEqual(['Completed']);

    await page.getByRole('button', { name: '+ Add task' }).click();
    await page.getByLabel('Task title').fill('Ask the user about the sign-in');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('checkbox', { name: 'Ask the user about the sign-in' }).waitFor();

    await page
      .getByLabel('Comment', { exact: true })
      .fill('User **confirmed** travel; see [HR note](https://hr.example/travel/7).');
    await page.getByLabel('Comment', { exact: true }).press('Control+Enter');
    const log = page.getByRole('list', { name: 'Activity' });
    await log.locator('strong', { hasText: 'confirmed' }).waitFor();
    expect(await log.getByRole('link', { name: 'HR note' }).getAttribute('href')).toBe('https://hr.example/travel/7');

    await page.getByRole('button', { name: 'Close incident' }).click();
    const close = page.getByRole('dialog', { name: `Close incident #${incident!.number}` });
    await close.getByRole('radio', { name: /Benign positive/ }).check();
    await close.getByLabel('Reason').selectOption('SuspiciousButExpected');
    await close.getByLabel('Resolution note').fill('Expected travel, confirmed with the user.');
    await close.getByRole('button', { name: 'Close incident' }).click();
    await close.waitFor({ state: 'detached' });
    expect(await get(`/incidents/${incident!.number}`)).toMatchObject({
      status: 'Closed',
      classification: 'BenignPositive',
      classificationReason: 'SuspiciousButExpected',
      classificationComment: 'Expected travel, confirmed with the user.',
    });
  });

  it('creates an automation rule that adds a task, and a new incident arrives with it', async () => {
    await page.goto('/w/default/automation/new');
    await page.getByLabel('Name', { exact: true }).fill('Isolate hosts of high incidents');
    await page.getByRole('button', { name: '+ Condition' }).click();
    await page.getByLabel('Condition 1 property').selectOption('IncidentSeverity');
    await page.getByLabel('Condition 1 values').fill('High');
    await page.getByLabel('Condition 1 values').press('Enter');
    await page.getByLabel('Action 1 task title').fill('Isolate the host');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/w\/default\/automation$/);
    await page.locator('tr[data-rule="Isolate hosts of high incidents"]').getByText('Add task: Isolate the host').waitFor();

    const sent = await ui.api.post(ui.api.ws('/alerts'), {
      sourceAlertId: 'edr-journey-1',
      title: 'Cobalt Strike beacon on WS-0042',
      severity: 'High',
      productName: 'Microsoft Defender for Endpoint',
      entities: [{ kind: 'Host', hostName: 'ws-0042' }],
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const number = sent.body.results[0].incidentNumber as number;
    await page.goto(`/w/default/incidents/${number}`);
    await page.getByRole('checkbox', { name: 'Isolate the host' }).waitFor();
    await page.getByText('Created by Automation rule: Isolate hosts of high incidents').waitFor();
  });

  it('runs a playbook on the incident and opens its run', async () => {
    await page.getByRole('button', { name: 'Run playbook' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Run playbook' });
    await dialog.getByRole('radio', { name: /Add a triage note/ }).check();
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await dialog.getByRole('link', { name: 'Follow the run' }).click();
    await page.waitForURL(/\/w\/default\/runs\/[^/]+$/);
    const tree = page.getByRole('tree', { name: 'Steps' });
    await tree.getByRole('treeitem', { name: 'note: succeeded' }).waitFor({ timeout: 20_000 });
    await tree.getByRole('treeitem', { name: 'accounts: succeeded' }).waitFor();
    const runId = new URL(page.url()).pathname.split('/').pop()!;
    expect((await get(`/runs/${runId}`)).status).toBe('succeeded');
  });
});

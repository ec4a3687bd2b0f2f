import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { alert } from '../support/fixtures.js';
import { createGroup, createUser } from '../support/people.js';
import { screenshot, signIn, startUiHarness, type UiHarness } from '../support/browser.js';

type Rule = { id: string; name: string; order: number; enabled: boolean; expiresAt: string | null };

const CORPUS = path.join(import.meta.dirname, '..', 'fixtures', 'corpus', 'sentinel', 'automation-rules');
const prop = (property: string, operator: string, values: string[]) => ({ type: 'property', property, operator, values });
const task = (title: string) => ({ type: 'addTask', title, description: '' });

describe('web UI: automation rules and analytics rules', () => {
  let ui: UiHarness;
  let page: Page;
  const rules = async () => (await ui.api.get(ui.api.ws('/automation-rules'))).body.items as Rule[];
  const ingest = async (overrides: Record<string, unknown>) => {
    const res = await ui.api.post(ui.api.ws('/alerts'), { alerts: [alert(overrides)] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.results[0].incidentNumber as number;
  };
  const tasksOf = async (n: number) =>
    ((await ui.api.get(ui.api.ws(`/incidents/${n}/tasks`))).body.items as { title: string }[]).map((t) => t.title);

  beforeAll(async () => {
    ui = await startUiHarness('sqlite');
    const t = ui.api;
    await createUser(t, { name: 'Dana Scully', email: 'dana@contoso.example', role: 'Responder' });
    await createGroup(t, { name: 'SOC Tier 2', role: 'Responder' });
    for (const name of ['Phishing link clicked', 'Impossible travel', 'Ransomware behavior detected', 'Mass download by user']) {
      expect((await t.post(t.ws('/analytics-rules'), { name })).status).toBe(201);
    }
    const source = (name: string, trigger: string) => `name: ${name}\ntrigger: ${trigger}\nsteps:\n  - set: { started: true }\n`;
    expect((await t.post(t.ws('/playbooks'), { source: source('Notify SOC on Teams', 'incident') })).status).toBe(201);
    expect((await t.post(t.ws('/playbooks'), { source: source('Enrich alert IPs', 'alert') })).status).toBe(201);
    const seed = async (body: Record<string, unknown>) => {
      const res = await t.post(t.ws('/automation-rules'), body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await seed({
      name: 'Triage: high severity',
      order: 1,
      trigger: 'incidentCreated',
      conditions: [prop('IncidentSeverity', 'Equals', ['High']), prop('AccountName', 'Contains', ['admin'])],
      actions: [task('Reset password'), { type: 'assignOwner', owner: { type: 'group', name: 'SOC Tier 2' } }],
    });
    await seed({
      name: 'Phishing procedure',
      order: 2,
      trigger: 'incidentCreated',
      analyticsRuleIds: ['Phishing link clicked'],
      conditions: [
        prop('IncidentSeverity', 'Equals', ['High', 'Medium']),
        {
          type: 'boolean',
          operator: 'Or',
          conditions: [
            prop('MailMessageP1Sender', 'EndsWith', ['@contoso-helpdesk.example']),
            prop('Url', 'Contains', ['login']),
          ],
        },
      ],
      actions: [
        task('Purge the email from all mailboxes'),
        task("Reset the user's password"),
        { type: 'addTags', tags: ['phishing'] },
      ],
    });
    await seed({
      name: 'Close known scanner noise',
      order: 3,
      trigger: 'incidentCreated',
      analyticsRuleIds: ['Impossible travel'],
      conditions: [prop('IPAddress', 'StartsWith', ['10.20.'])],
      actions: [
        {
          type: 'changeStatus',
          status: 'Closed',
          classification: 'BenignPositive',
          classificationReason: 'SuspiciousButExpected',
          classificationComment: 'Vulnerability scanner',
        },
      ],
    });
    await seed({
      name: 'Escalate when severity raised to High',
      order: 4,
      trigger: 'incidentUpdated',
      conditions: [
        { type: 'propertyChanged', property: 'IncidentSeverity', change: 'ChangedTo', operator: 'Equals', values: ['High'] },
      ],
      actions: [{ type: 'runPlaybook', playbook: 'Notify SOC on Teams' }],
    });
    await seed({
      name: 'Enrich every alert',
      order: 5,
      trigger: 'alertCreated',
      actions: [{ type: 'runPlaybook', playbook: 'Enrich alert IPs' }],
    });
    await seed({
      name: 'Intern assignment (November)',
      order: 6,
      trigger: 'incidentCreated',
      expiresAt: '2026-11-30T18:00:00Z',
      conditions: [prop('IncidentSeverity', 'Equals', ['Low'])],
      actions: [{ type: 'assignOwner', owner: { email: 'dana@contoso.example' } }],
    });
    page = await ui.newPage();
    await signIn(page);
  }, 60_000);
  afterAll(async () => ui?.close());

  it('lists the rules in order with their summaries; reorders by keyboard, disables one', async () => {
    await page.goto('/w/default/automation');
    const triage = page.locator('tr[data-rule="Triage: high severity"]');
    await triage.getByText('Severity equals High AND Account name contains admin').waitFor();
    await triage.getByText('Add task: Reset password; Assign owner: SOC Tier 2').waitFor();
    await page.locator('tr[data-rule="Phishing procedure"]').getByText('Phishing link clicked').waitFor();
    await page.locator('tr[data-rule="Intern assignment (November)"]').getByText('Expired').waitFor();
    await screenshot(page, 'automation-rules');

    // Keyboard reordering with dnd-kit: Space picks the row up, ArrowDown moves it, Space drops it.
    await page.getByRole('button', { name: 'Reorder Triage: high severity' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Reorder Triage: high severity', pressed: true }).waitFor();
    // The keyboard sensor listens once the pick-up is announced; an arrow pressed before is lost.
    await page.getByText(/Triage: high severity .*position 1 of 6\./).waitFor({ state: 'attached' });
    await page.keyboard.press('ArrowDown');
    await page.getByText('Triage: high severity moved to position 2 of 6.').waitFor({ state: 'attached' });
    await page.keyboard.press('Space');
    await expect
      .poll(async () => (await rules()).slice(0, 2).map((r) => r.name))
      .toEqual(['Phishing procedure', 'Triage: high severity']);
    // And back with the Move up button.
    await page.getByRole('button', { name: 'Move Triage: high severity up' }).click();
    await expect.poll(async () => (await rules())[0]!.name).toBe('Triage: high severity');

    await page.getByRole('switch', { name: 'Enabled: Close known scanner noise' }).click();
    await expect.poll(async () => (await rules()).find((r) => r.name === 'Close known scanner noise')!.enabled).toBe(false);

    await page.getByLabel('Action type').selectOption('runPlaybook');
    await page.locator('tr[data-rule="Enrich every alert"]').waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
  });

  it('creates a rule in the editor that adds a task to new High incidents only', async () => {
    const high = await ingest({
      severity: 'High',
      title: 'Ransomware behavior on FS01',
      analyticsRuleName: 'Ransomware behavior detected',
    });
    await page.goto('/w/default/automation/new');
    await page.getByLabel('Name', { exact: true }).fill('Isolate hosts of high incidents');
    await page.getByRole('button', { name: '+ Condition' }).click();
    await page.getByLabel('Condition 1 property').selectOption('IncidentSeverity');
    await page.getByLabel('Condition 1 values').fill('High');
    await page.getByLabel('Condition 1 values').press('Enter');
    await page.getByLabel('Action 1 task title').fill('Isolate the host');
    await page.getByLabel('Expiration').fill('2030-06-30T18:00');

    // Dry run: the existing High incident matches and would get the task.
    await page.getByRole('button', { name: 'Try on existing incidents' }).click();
    const dryRun = page.getByRole('region', { name: 'Dry run' });
    await dryRun.getByRole('link', { name: `#${high} Ransomware behavior on FS01` }).waitFor();
    await dryRun.getByText('Adds task: Isolate the host').waitFor();

    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/w\/default\/automation$/);
    const row = page.locator('tr[data-rule="Isolate hosts of high incidents"]');
    await row.getByText('Severity equals High').waitFor();
    await row.getByText('Add task: Isolate the host').waitFor();
    const saved = (await rules()).find((r) => r.name === 'Isolate hosts of high incidents')!;
    expect(saved.expiresAt).toBe(new Date('2030-06-30T18:00').toISOString());

    const highIncident = await ingest({ severity: 'High', title: 'Malware on WS-22' });
    const mediumIncident = await ingest({ severity: 'Medium', title: 'Odd sign-in' });
    expect(await tasksOf(highIncident)).toContain('Isolate the host');
    expect(await tasksOf(mediumIncident)).not.toContain('Isolate the host');
  });

  it("shows the API's validation error next to the action it is about", async () => {
    await page.goto('/w/default/automation/new');
    await page.getByLabel('Name', { exact: true }).fill('Close everything');
    await page.getByLabel('Action 1 type').selectOption('changeStatus');
    await page.getByLabel('Action 1 status').selectOption('Closed');
    await page.getByLabel('Add action').selectOption('addTags');
    await page.getByLabel('Action 2 tags').fill('closed-by-rule');
    await page.getByLabel('Action 2 tags').press('Enter');
    await page.getByRole('button', { name: 'Create rule' }).click();
    const action = page.getByRole('listitem', { name: 'Action 1' });
    await action.getByText(/closing needs a classification/).waitFor();
    await expect(page.getByRole('listitem', { name: 'Action 2' }).getByRole('alert').count()).resolves.toBe(0);

    expect((await rules()).some((r) => r.name === 'Close everything')).toBe(false);
  });

  it('pre-fills a rule from an incident; imports Sentinel JSON; deletes with confirmation', async () => {
    const n = await ingest({ severity: 'Low', title: 'Scanner sweep', analyticsRuleName: 'Impossible travel' });
    await page.goto(`/w/default/automation/new?fromIncident=${n}`);
    await page.getByText(`Pre-filled from incident`).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.not.toBe('');
    await expect(page.getByLabel('Action 1 type').inputValue()).resolves.toBe('changeStatus');

    await page.goto('/w/default/automation');
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import automation rules' });
    await dialog.getByLabel('JSON file').setInputFiles(path.join(CORPUS, 'spec-2024-09-01-AutomationRules_CreateOrUpdate.json'));
    const before = (await rules()).length;
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText(/1 created, 0 updated, 0 skipped/).waitFor();
    expect((await rules()).length).toBe(before + 1);
    await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();

    await page.getByRole('button', { name: 'Delete Intern assignment (November)' }).click();
    await page.getByRole('dialog', { name: 'Delete automation rule' }).getByRole('button', { name: 'Delete rule' }).click();
    await page.locator('tr[data-rule="Intern assignment (November)"]').waitFor({ state: 'detached' });
    expect((await rules()).some((r) => r.name === 'Intern assignment (November)')).toBe(false);
  });

  it('edits a rule with nested conditions (screenshot)', async () => {
    const phishing = (await rules()).find((r) => r.name === 'Phishing procedure')!;
    const clicked = await ingest({
      severity: 'High',
      title: 'User clicked a phishing link',
      analyticsRuleName: 'Phishing link clicked',
      entities: [{ kind: 'Url', url: 'https://login.contoso-helpdesk.example/reset' }],
    });
    await page.goto(`/w/default/automation/${phishing.id}`);
    await page.getByLabel('Condition 2 group operator').waitFor();
    await expect(page.getByLabel('Condition 2.1 property').inputValue()).resolves.toBe('MailMessageP1Sender');
    await page.getByRole('button', { name: 'Try on existing incidents' }).click();
    await page
      .getByRole('region', { name: 'Dry run' })
      .getByRole('link', { name: `#${clicked} User clicked a phishing link` })
      .waitFor();
    await page.getByRole('group', { name: 'Conditions' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'automation-rule-editor');
  });

  it("shows a rule's run history: where it ran, and the action that failed and why", async () => {
    const t = ui.api;
    const mulder = await createUser(t, { name: 'Fox Mulder', email: 'fox@contoso.example', role: 'Responder' });
    const created = await t.post(t.ws('/automation-rules'), {
      name: 'Hand data exfiltration to Mulder',
      order: 7,
      trigger: 'incidentCreated',
      conditions: [prop('IncidentTitle', 'Contains', ['exfiltration'])],
      actions: [task('Check the upload volume'), { type: 'assignOwner', owner: { email: 'fox@contoso.example' } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const first = await ingest({ severity: 'Medium', title: 'Data exfiltration to personal cloud storage' });
    // Mulder leaves the workspace: the rule's owner action now fails, its task still applies.
    expect((await t.delete(`/api/v1/workspaces/default/members/user/${mulder.id}`)).status).toBe(204);
    const second = await ingest({ severity: 'Medium', title: 'Exfiltration over DNS' });

    await page.goto(`/w/default/automation/${created.body.id}`);
    const history = page.getByRole('region', { name: 'Run history' });
    const newest = history.locator('tbody tr').first();
    await newest.getByRole('link', { name: `#${second}` }).waitFor();
    await newest.getByText('Some actions failed').waitFor();
    await newest.getByText('2. Assign owner: failed — Fox Mulder can no longer own incidents in this workspace').waitFor();
    const oldest = history.locator('tbody tr').nth(1);
    await oldest.getByRole('link', { name: `#${first}` }).waitFor();
    await oldest.getByText('Applied', { exact: true }).waitFor();
    await oldest.getByText('All 2 actions applied').waitFor();
    await expect(history.locator('tbody tr').count()).resolves.toBe(2);
    await history.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'automation-rule-run-history');

    await newest.getByRole('link', { name: `#${second}` }).click();
    await page.waitForURL(new RegExp(`/incidents/${second}$`));
  });

  it('asks before leaving a rule with unsaved changes', async () => {
    const phishing = (await rules()).find((r) => r.name === 'Phishing procedure')!;
    await page.goto(`/w/default/automation/${phishing.id}`);
    await page.getByLabel('Name', { exact: true }).fill('Phishing procedure (draft)');
    await page.getByRole('link', { name: 'Cancel' }).click();
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.getByText('Your changes to this rule are not saved').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Phishing procedure (draft)');

    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.getByRole('dialog', { name: 'Leave without saving?' }).getByRole('button', { name: 'Discard changes' }).click();
    await page.waitForURL(/\/w\/default\/automation$/);
    expect((await rules()).some((r) => r.name === 'Phishing procedure')).toBe(true);

    // Saving leaves without asking.
    await page.goto(`/w/default/automation/${phishing.id}`);
    await page.getByLabel('Description', { exact: true }).fill('Purge, reset, tag.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/w\/default\/automation$/);
    expect((await rules()).find((r) => r.name === 'Phishing procedure')).toBeDefined();
  });

  it('creates an analytics rule grouping alerts by entity kinds', async () => {
    await page.goto('/w/default/settings/analytics-rules');
    await page.getByRole('link', { name: 'Phishing link clicked' }).waitFor();
    await page.getByRole('link', { name: '+ Create analytics rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Brute force against VPN');
    // Leaving the unsaved form asks first; Cancel keeps it.
    await page.getByRole('link', { name: 'Cancel' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
    await leave.getByText('Your changes to the new analytics rule are not saved').waitFor();
    await leave.getByRole('button', { name: 'Cancel' }).click();
    await page.getByLabel('Severity').selectOption('High');
    await page.getByLabel('Group alerts that match the selected entity kinds and custom details').check();
    await page.getByLabel('Account', { exact: true }).check();
    await page.getByLabel('Ip', { exact: true }).check();
    await page.getByLabel('Lookback window (minutes)').fill('60');
    await page.getByLabel('Re-open a matching closed incident').check();
    await page.getByLabel('Enrich alert IPs').check();
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.getByText('By Account, Ip within 1 hour; re-opens closed incidents').waitFor();
    const list = (await ui.api.get(ui.api.ws('/analytics-rules?q=Brute'))).body.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      severity: 'High',
      grouping: { mode: 'selected', entityKinds: ['Account', 'Ip'], lookbackMinutes: 60, reopenClosed: true },
    });
    expect(list[0].playbookIds).toHaveLength(1);
  });
  // Last: it adds 500 analytics rules to the workspace.
  it('pages and searches many analytics rules; the rule editor finds one beyond the first 500', async () => {
    const t = ui.api;
    for (let i = 0; i < 500; i += 1) {
      const res = await t.post(t.ws('/analytics-rules'), { name: `Bulk detection ${String(i).padStart(3, '0')}` });
      expect(res.status).toBe(201);
    }
    await page.goto('/w/default/settings/analytics-rules');
    const table = page.getByRole('table');
    await page.getByRole('status').filter({ hasText: '100+ rules' }).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(100);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('status').filter({ hasText: '200+ rules' }).waitFor();

    await page.getByLabel('Search analytics rules').fill('detection 42');
    await page.waitForURL(/\/settings\/analytics-rules\?q=detection\+42$/);
    await page
      .getByRole('status')
      .filter({ hasText: /^10 rules$/ }) // 420–429
      .waitFor();
    await table.getByRole('link', { name: 'Bulk detection 420' }).waitFor();
    await expect(page.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);
    await page.getByLabel('Search analytics rules').fill('no such detection');
    await page.getByText('No analytics rule matches “no such detection”').waitFor();

    // "Ransomware behavior detected" sorts after the first 500 names: the picker asks the server.
    await page.goto('/w/default/automation/new');
    await page.getByLabel('Only these:').check();
    await page.getByLabel('Filter analytics rules').fill('ransomware');
    await page.getByLabel('Ransomware behavior detected').waitFor();
    await expect(page.locator('.scope-list li').count()).resolves.toBe(1);
  }, 60_000);
});

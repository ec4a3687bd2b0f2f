import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { screenshot, signIn, startUiHarness, type UiHarness } from '../support/browser.js';

const RULE = 'Credential phishing campaign';
const AUTO_TASK = 'Review the sign-in logs of the recipients';
const OWN_TASK = 'Block the sender domain at the mail gateway';
const CONCURRENT = 'This incident was changed by someone else — reload to see their change';

type Json = Record<string, any>;

describe('web UI: incident page', () => {
  let ui: UiHarness;
  let number: number;
  let playbookName: string;

  const get = async (path: string): Promise<Json> => {
    const res = await ui.api.get(ui.api.ws(`/incidents/${number}${path}`));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const tasks = async () => (await get('/tasks')).items as Json[];

  beforeAll(async () => {
    ui = await startUiHarness('sqlite');
    const post = async (path: string, body: unknown, status = 201) => {
      const res = await ui.api.post(ui.api.ws(path), body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      return res.body as Json;
    };
    await post('/analytics-rules', { name: RULE, grouping: { mode: 'anyAlert' } });
    await post('/automation-rules', {
      name: 'Phishing triage',
      order: 1,
      trigger: 'incidentCreated',
      actions: [
        {
          type: 'addTask',
          title: AUTO_TASK,
          description:
            'Look for **successful sign-ins** from new countries after the click. See the [runbook](https://wiki.example/phishing).',
        },
      ],
    });
    playbookName = 'Enrich sender reputation';
    await post('/playbooks', {
      source: `name: ${playbookName}\ndescription: Looks up the sender domain\nenabled: true\ntrigger: { type: manual, targets: [incident] }\nsteps:\n  - { id: note, set: { checked: yes } }\n`,
    });
    const mail = (recipient: string, host: string, ip: string) => [
      { kind: 'Account', accountName: recipient, upnSuffix: 'contoso.com' },
      { kind: 'Host', hostName: host, dnsDomain: 'contoso.com', osFamily: 'Windows' },
      { kind: 'Ip', address: ip },
      { kind: 'Url', url: 'https://login-micros0ft.example/owa' },
      { kind: 'Mailbox', mailboxPrimaryAddress: `${recipient}@contoso.com`, displayName: recipient },
      { kind: 'FileHash', algorithm: 'SHA256', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
    ];
    const ingested = await post('/alerts', {
      alerts: [
        alert({
          analyticsRuleName: RULE,
          title: 'Phishing email delivered to finance mailboxes',
          severity: 'Medium',
          productName: 'Microsoft Defender for Office 365',
          tactics: ['InitialAccess'],
          techniques: ['T1566.002'],
          customDetails: { SenderAddress: 'payroll@micros0ft-billing.example', Recipients: 14 },
          entities: mail('alice', 'fin-ws-014', '203.0.113.24'),
        }),
        alert({
          analyticsRuleName: RULE,
          title: 'User clicked a malicious URL',
          severity: 'Medium',
          productName: 'Microsoft Defender for Office 365',
          tactics: ['Execution'],
          customDetails: { ClickVerdict: 'Allowed', Url: 'https://login-micros0ft.example/owa' },
          entities: mail('bob', 'fin-ws-022', '198.51.100.7'),
        }),
        alert({
          analyticsRuleName: RULE,
          title: 'Sign-in from an unfamiliar location',
          severity: 'Low',
          productName: 'Microsoft Entra ID Protection',
          tactics: ['CredentialAccess'],
          entities: mail('alice', 'fin-ws-014', '192.0.2.55'),
        }),
      ],
    });
    number = ingested.results[0].incidentNumber;
    const patched = await ui.api.patch(ui.api.ws(`/incidents/${number}`), {
      title: 'Credential phishing campaign against the finance team',
      description:
        'Several finance users received an invoice lure linking to a **fake Outlook sign-in page**.\nAt least one user clicked and signed in; see the alerts for the recipients.',
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await post(`/incidents/${number}/tasks`, {
      title: 'Collect the original message headers',
      description: 'Export the .eml from the quarantine.',
    });
    await post(`/incidents/${number}/comments`, {
      message: 'Started triage. The lure came from a look-alike domain registered 2 days ago.',
    });
  }, 60_000);
  afterAll(async () => ui?.close());

  async function openIncident(page: Page) {
    await page.goto(`/w/default/incidents/${number}`);
    await page.getByRole('heading', { name: /Credential phishing campaign against the finance team/ }).waitFor();
  }

  it('works an incident: tasks, comments, severity, playbook run, export, close and re-open', async () => {
    const page = await ui.newPage();
    await signIn(page);
    await openIncident(page);

    // Alerts, entities and the automation rule's task are on the page.
    await page.getByRole('cell', { name: 'User clicked a malicious URL', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Details of alert Phishing email delivered to finance mailboxes' }).click();
    await page.getByText('payroll@micros0ft-billing.example').waitFor();
    await page.getByRole('heading', { name: /Accounts \(2\)/ }).waitFor();
    await page.getByText(`Created by Automation rule: Phishing triage`).waitFor();

    // Complete the automation rule's task, then re-open it.
    const autoTask = page.getByRole('checkbox', { name: AUTO_TASK });
    await autoTask.check();
    await expect.poll(async () => (await tasks()).find((t) => t.title === AUTO_TASK)?.status).toBe('Completed');
    await page.getByText('1 of 2 completed').waitFor();
    await autoTask.uncheck();
    await expect.poll(async () => (await tasks()).find((t) => t.title === AUTO_TASK)?.status).toBe('New');

    // An ad-hoc task.
    await page.getByRole('button', { name: '+ Add task' }).click();
    await page.getByLabel('Task title').fill(OWN_TASK);
    await page.getByLabel('Task description').fill('Add **micros0ft-billing.example** to the blocked senders.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('checkbox', { name: OWN_TASK }).waitFor();
    const own = (await tasks()).find((t) => t.title === OWN_TASK);
    expect(own).toMatchObject({ manual: true, status: 'New', createdBy: { type: 'user', id: ui.api.adminId } });

    // A markdown comment: previewed client-side, then rendered by the server in the log.
    const message =
      'Confirmed **credential harvest** on two accounts, see [the sandbox report](https://sandbox.example/report/42).';
    await page.getByLabel('Comment', { exact: true }).fill(message);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByLabel('Comment preview').locator('strong', { hasText: 'credential harvest' }).waitFor();
    await page.getByRole('button', { name: 'Write' }).click();
    await page.getByLabel('Comment', { exact: true }).press('Control+Enter');
    const log = page.getByRole('list', { name: 'Activity' });
    await log.locator('strong', { hasText: 'credential harvest' }).waitFor();
    const link = log.getByRole('link', { name: 'the sandbox report' });
    expect(await link.getAttribute('href')).toBe('https://sandbox.example/report/42');
    const comments = (await get('/comments')).items as Json[];
    expect(comments.map((c) => c.message)).toContain(message);

    // Severity.
    await page.getByLabel('Severity').selectOption('High');
    await expect.poll(async () => (await get('')).severity).toBe('High');
    await log.getByText('Severity Medium → High').waitFor();

    // The log's Automation filter shows only what rules and playbooks did.
    await page.getByRole('button', { name: 'Automation', exact: true }).click();
    await log.getByText('Automation rule: Phishing triage').waitFor();
    await log.getByText('Severity Medium → High').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await log.getByText('Severity Medium → High').waitFor();

    // A new tag (type-ahead offers to create it) and an owner.
    await page.getByLabel('Add tag').fill('phishing');
    await page.getByRole('option', { name: /phishing.*Create new/ }).click();
    await expect.poll(async () => (await get('')).tags).toEqual(['phishing']);
    await page.getByRole('button', { name: 'Change owner' }).click();
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(async () => (await get('')).owner?.id).toBe(ui.api.adminId);

    // Run a playbook on the incident.
    await page.getByRole('button', { name: 'Run playbook' }).first().click();
    const runDialog = page.getByRole('dialog', { name: 'Run playbook' });
    await runDialog.getByRole('radio', { name: new RegExp(playbookName) }).check();
    await runDialog.getByRole('button', { name: 'Run', exact: true }).click();
    const follow = runDialog.getByRole('link', { name: 'Follow the run' });
    await follow.waitFor();
    const runs = (await get('/playbook-runs')).items as Json[];
    expect(runs).toHaveLength(1);
    expect(await follow.getAttribute('href')).toBe(`/w/default/runs/${runs[0]!.id}`);
    await runDialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: playbookName }).waitFor();

    // Export PDF: requested, generated, then offered for download.
    await page.getByRole('button', { name: 'Export PDF' }).click();
    const download = page.getByRole('link', { name: 'Download PDF' });
    await download.waitFor({ timeout: 30_000 });
    expect(await download.getAttribute('href')).toMatch(new RegExp(`/incidents/${number}/exports/[^/]+/file$`));

    await page.getByRole('button', { name: 'Details of alert Phishing email delivered to finance mailboxes' }).click();
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'incident');

    // Close: classification, reason, determination and a resolution note.
    await page.getByRole('button', { name: 'Close incident' }).click();
    const closeDialog = page.getByRole('dialog', { name: `Close incident #${number}` });
    await closeDialog.getByRole('radio', { name: /True positive/ }).check();
    await closeDialog.getByLabel('Reason').selectOption('SuspiciousActivity');
    await closeDialog.getByLabel('Determination').selectOption('Phishing');
    const note = 'Sender domain blocked, two passwords reset, sessions revoked.';
    await closeDialog.getByLabel('Resolution note').fill(note);
    await screenshot(page, 'incident-close');
    await closeDialog.getByRole('button', { name: 'Close incident' }).click();
    await closeDialog.waitFor({ state: 'detached' });
    expect(await get('')).toMatchObject({
      status: 'Closed',
      classification: 'TruePositive',
      classificationReason: 'SuspiciousActivity',
      determination: 'Phishing',
      classificationComment: note,
    });
    await page.locator('.resolution-note', { hasText: note }).waitFor();

    // Re-open.
    await page.getByRole('button', { name: 'Re-open' }).click();
    await expect.poll(async () => (await get('')).status).toBe('Active');

    // The resolution note is optional, as in Sentinel.
    await page.getByRole('button', { name: 'Close incident' }).click();
    const again = page.getByRole('dialog', { name: `Close incident #${number}` });
    await again.getByLabel('Resolution note').fill('');
    await again.getByRole('radio', { name: /False positive/ }).check();
    await again.getByLabel('Reason').selectOption('InaccurateData');
    await again.getByRole('button', { name: 'Close incident' }).click();
    await again.waitFor({ state: 'detached' });
    expect(await get('')).toMatchObject({ status: 'Closed', classification: 'FalsePositive', classificationComment: null });
  }, 90_000);

  it('reports tasks per title, the closed incident still holding an open task, and downloads the CSV', async () => {
    const page = await ui.newPage();
    await signIn(page);
    await page.goto('/w/default/incidents');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/w\/default\/reports\/tasks$/);
    const table = page.getByRole('table', { name: 'Tasks by title' });
    const auto = table.locator('tbody tr').filter({ hasText: AUTO_TASK });
    // The rule's task was completed and re-opened: open, and on an incident that is now closed.
    await expect.poll(async () => (await auto.locator('td').allTextContents()).slice(1, 5)).toEqual(['1', '0', '1', '1']);
    await table.locator('tbody tr').filter({ hasText: OWN_TASK }).waitFor();
    const leftOpen = page.getByRole('region', { name: 'Closed incidents with open tasks' });
    await leftOpen.getByRole('link', { name: new RegExp(`^#${number} `) }).waitFor();
    const open = (await tasks()).filter((t) => t.status !== 'Completed').length;
    expect(open).toBeGreaterThan(0);
    await leftOpen.getByText(`${open} open task${open === 1 ? '' : 's'}`, { exact: false }).waitFor();
    await screenshot(page, 'task-report');

    // Only what automation added; the filter is in the address.
    await page.getByLabel('Added by').selectOption('automationRule');
    await page.waitForURL(/\?by=automationRule$/);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await auto.waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^"title","created","completed","open",/);
    expect(csv).toContain(AUTO_TASK);
    expect(csv).not.toContain(OWN_TASK);
    await page.close();
  });

  it('says when someone else changed the incident since the page loaded, and reloads it', async () => {
    const page = await ui.newPage();
    // Without live updates, the page keeps the version it read (as if the change had not reached it yet).
    await page.route('**/api/v1/live', (route) => route.abort());
    await signIn(page);
    await openIncident(page);
    const changed = await ui.api.patch(ui.api.ws(`/incidents/${number}`), { severity: 'Low' });
    expect(changed.status).toBe(200);

    await page.getByRole('button', { name: 'Edit title' }).click();
    await page.getByLabel('Title').fill('Credential phishing campaign (finance)');
    await page.getByLabel('Title').press('Enter');
    await page.getByText(CONCURRENT).waitFor();
    expect((await get('')).title).toBe('Credential phishing campaign against the finance team');

    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByText(CONCURRENT).waitFor({ state: 'detached' });
    await expect.poll(() => page.getByLabel('Severity').inputValue()).toBe('Low');
  }, 60_000);
});

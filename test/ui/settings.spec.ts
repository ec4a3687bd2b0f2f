import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, signIn, startUiHarness, type UiHarness } from '../support/browser.js';
import { alert } from '../support/fixtures.js';

const RITA = { email: 'rita@example.test', name: 'Rita Responder', password: 'rita chooses a long password' };

/** Opens a settings tab by its link in the tab bar. */
async function openTab(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: label, exact: true }).click();
}

/** Picks the first suggestion of a type-ahead after typing `text`. */
async function pick(page: Page, label: string, text: string, option: string) {
  await page.getByRole('combobox', { name: label }).fill(text);
  await page
    .getByRole('option', { name: new RegExp(option) })
    .first()
    .click();
}

describe('settings screens', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUiHarness('sqlite');
    // Realistic neighbours for the screenshots: two more people, a rule and a webhook made through the API.
    for (const [email, displayName, roles] of [
      ['mia.lead@example.test', 'Mia Lead', ['Owner']],
      ['sam.analyst@example.test', 'Sam Analyst', ['Contributor', 'PlaybookOperator']],
    ] as const) {
      expect((await ui.api.post('/api/v1/users', { email, displayName })).status).toBe(201);
      expect((await ui.api.request('PUT', ui.api.ws('/members'), { type: 'user', email, roles })).status).toBe(200);
    }
    const rule = await ui.api.post(ui.api.ws('/notification-rules'), {
      name: 'Every comment to the on-call desk',
      triggers: { updates: ['comments', 'owner'] },
      recipients: { addresses: ['oncall@contoso.com'] },
      digestAfter: 5,
    });
    expect(rule.status).toBe(201);
    const filtered = await ui.api.post(ui.api.ws('/notification-rules'), {
      name: 'Tier-0 servers from Defender',
      enabled: false,
      triggers: { created: true, updates: ['severity', 'alerts'] },
      filters: { products: ['Microsoft Defender for Endpoint'], hostGroups: ['Tier0'], tags: ['VIP'] },
      recipients: { addresses: ['tier0-owners@contoso.com', 'ciso@contoso.com'] },
      includeSummary: true,
    });
    expect(filtered.status).toBe(201);
  }, 60_000);
  afterAll(async () => ui?.close());

  it('lets the administrator manage users, members, groups, tokens, rules, webhooks and grouping', async () => {
    const page = await ui.newPage();
    await signIn(page);
    await page.goto('/w/default/settings');
    await page.waitForURL(/\/settings\/workspace$/);
    const tabs = page.getByRole('navigation', { name: 'Settings sections' });
    await expect(tabs.getByRole('link', { name: 'Analytics rules' }).getAttribute('href')).resolves.toBe(
      '/w/default/settings/analytics-rules',
    );

    // Users: create Rita; her one-time password is shown once.
    await openTab(page, 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('Email').fill(RITA.email);
    await page.getByLabel('Display name').fill(RITA.name);
    await page.getByRole('button', { name: 'Create user' }).click();
    const otp = (await page.getByLabel('One-time password', { exact: true }).textContent())!;
    expect(otp.length).toBeGreaterThanOrEqual(12);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: new RegExp(`^${RITA.name}`) }).waitFor();

    // Members & roles: add Rita as Responder through the directory type-ahead.
    await openTab(page, 'Members & roles');
    await pick(page, 'User or group', 'Rita', RITA.name);
    await page.getByRole('group', { name: 'Roles of the new member' }).getByLabel('Responder').check();
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText(`now holds Responder`).waitFor();
    const members = (await ui.api.get(ui.api.ws('/members'))).body.items as { email: string | null; roles: string[] }[];
    expect(members.find((m) => m.email === RITA.email)?.roles).toEqual(['Responder']);

    // Groups: create one and add Rita.
    await openTab(page, 'Groups');
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByLabel('Name').fill('SOC Tier 1');
    await page.getByRole('button', { name: 'Create group' }).click();
    await pick(page, 'Add a user to SOC Tier 1', 'Rita', RITA.name);
    await page.getByRole('button', { name: `Remove ${RITA.name} from SOC Tier 1` }).waitFor();
    const groups = (await ui.api.get('/api/v1/groups')).body.items as { name: string; members: { email: string }[] }[];
    expect(groups.find((g) => g.name === 'SOC Tier 1')?.members.map((m) => m.email)).toEqual([RITA.email]);

    // The group joins the workspace as Responder; then Rita's roles change with checkboxes.
    await openTab(page, 'Members & roles');
    await pick(page, 'User or group', 'SOC', 'SOC Tier 1');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('cell', { name: 'SOC Tier 1', exact: true }).waitFor();
    const ritaRoles = page.getByRole('group', { name: `Roles of ${RITA.name}` });
    await ritaRoles.getByLabel('PlaybookOperator').check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('button', { name: 'Save roles' }).waitFor({ state: 'detached' });
    const after = (await ui.api.get(ui.api.ws('/members'))).body.items as { name: string; roles: string[] }[];
    expect(after.find((m) => m.name === RITA.name)?.roles).toEqual(['Responder', 'PlaybookOperator']);
    expect(after.find((m) => m.name === 'SOC Tier 1')?.roles).toEqual(['Responder']);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'settings-members');

    // API tokens: the secret is shown once and works; revoked, it is refused.
    await openTab(page, 'API tokens');
    await page.getByRole('button', { name: 'New API token' }).click();
    await page.getByLabel('Name').fill('nightly-report');
    await page.getByLabel('Role in default').selectOption('Reader');
    await page.getByLabel('Expires').selectOption('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByLabel('API token secret', { exact: true }).textContent())!;
    await screenshot(page, 'settings-tokens');
    const bearer = { authorization: `Bearer ${secret}` };
    const me = await fetch(`${ui.baseUrl}/api/v1/auth/me`, { headers: bearer });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { via: string }).via).toBe('token');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByLabel('API token secret').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Revoke nightly-report' }).click();
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('row', { name: /nightly-report.*Revoked/ }).waitFor();
    expect((await fetch(`${ui.baseUrl}/api/v1/auth/me`, { headers: bearer })).status).toBe(401);

    // Notifications: a rule for new High incidents, mailed to Rita and the on-call address.
    await openTab(page, 'Notifications');
    await page.getByRole('button', { name: 'New notification rule' }).click();
    const pane = page.getByRole('dialog', { name: 'New notification rule' });
    await pane.getByLabel('Name').fill('High severity to the SOC leads');
    await pane.getByLabel('Status changes').check();
    await pane.getByRole('group', { name: 'Severities' }).getByLabel('High').check();
    await pick(page, 'Users', 'Rita', RITA.name);
    await pane.getByRole('textbox', { name: 'Email addresses' }).fill('soc-leads@contoso.com');
    await pane.getByRole('button', { name: 'Add to Email addresses' }).click();
    await pane.getByRole('button', { name: 'Create rule' }).click();
    await page.getByRole('cell', { name: 'High severity to the SOC leads', exact: true }).waitFor();
    const rules = (await ui.api.get(ui.api.ws('/notification-rules'))).body.items as any[];
    const made = rules.find((r) => r.name === 'High severity to the SOC leads');
    expect(made.triggers).toEqual({ created: true, updates: ['status'] });
    expect(made.filters.severities).toEqual(['High']);
    expect(made.recipients.users.map((u: { email: string }) => u.email)).toEqual([RITA.email]);
    expect(made.recipients.addresses).toEqual(['soc-leads@contoso.com']);
    await screenshot(page, 'settings-notifications');

    // Webhooks: the signing secret is shown once; saving sends nothing.
    await openTab(page, 'Webhooks');
    await page.getByRole('button', { name: 'New webhook' }).click();
    await page.getByLabel('Name').fill('ServiceNow sync');
    await page.getByLabel('URL').fill('https://hooks.example.com/x');
    await page.getByLabel('Incident closed').check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const signing = (await page.getByLabel('Signing secret', { exact: true }).textContent())!;
    expect(signing.length).toBeGreaterThanOrEqual(16);
    await page.getByRole('button', { name: 'Done' }).click();
    const hooks = (await ui.api.get(ui.api.ws('/webhook-subscriptions'))).body.items as any[];
    expect(hooks.map((h) => [h.name, h.url, h.events])).toEqual([
      ['ServiceNow sync', 'https://hooks.example.com/x', ['incident.created', 'incident.updated', 'incident.closed']],
    ]);
    expect(JSON.stringify(hooks)).not.toContain(signing);

    // Workspace: default grouping, saved with the workspace's etag.
    await openTab(page, 'Workspace');
    await page.getByLabel('Group every alert of the same rule').check();
    await page.getByLabel('Look back (minutes)').fill('120');
    await page.getByRole('button', { name: 'Save grouping' }).click();
    await page.getByText('Default grouping saved.').waitFor();
    const workspace = (await ui.api.get(ui.api.ws(''))).body;
    expect(workspace.settings.defaultGrouping).toMatchObject({ mode: 'anyAlert', lookbackMinutes: 120 });
    await page.context().close();

    // Rita signs in, replaces her one-time password, and sees the members read-only.
    const rita = await ui.newPage();
    await rita.goto('/sign-in');
    await rita.getByLabel('Email').fill(RITA.email);
    await rita.getByLabel('Password').fill(otp);
    await rita.getByRole('button', { name: 'Sign in' }).click();
    await rita.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await rita.getByLabel('One-time password').fill(otp);
    await rita.getByLabel('New password', { exact: true }).fill(RITA.password);
    await rita.getByLabel('Repeat the new password').fill(RITA.password);
    await rita.getByRole('button', { name: 'Save and continue' }).click();
    await rita.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await rita.goto('/w/default/settings/members');
    await rita.getByText('only the workspace’s Owners and server administrators can add members').waitFor();
    await rita.getByRole('cell', { name: /Mia Lead/ }).waitFor();
    await expect(rita.getByRole('button', { name: 'Add member' }).count()).resolves.toBe(0);
    await expect(rita.getByRole('checkbox').count()).resolves.toBe(0);
    const ritaTabs = await rita.getByRole('navigation', { name: 'Settings sections' }).getByRole('link').allTextContents();
    expect(ritaTabs).not.toContain('Users');
    expect(ritaTabs).not.toContain('Groups');
  }, 60_000);

  it('shows the workspace audit log filtered by who made the change, kind and field, with the filters in the address', async () => {
    const t = ui.api;
    const rule = await t.post(t.ws('/automation-rules'), {
      name: 'Tag VPN alerts',
      order: 1,
      trigger: 'incidentCreated',
      conditions: [{ type: 'property', property: 'IncidentTitle', operator: 'Contains', values: ['VPN'] }],
      actions: [{ type: 'addTags', tags: ['vpn'] }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const ingested = await t.post(t.ws('/alerts'), { alerts: [alert({ title: 'VPN brute force', severity: 'Medium' })] });
    expect(ingested.status).toBe(201);
    const number = ingested.body.results[0].incidentNumber as number;
    const incident = await t.get(t.ws(`/incidents/${number}`));
    const patched = await t.patch(
      t.ws(`/incidents/${number}`),
      { severity: 'High' },
      { headers: { 'if-match': incident.body.etag } },
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await t.post(t.ws(`/incidents/${number}/comments`), { message: 'Checked the VPN logs.' })).status).toBe(201);

    const page = await ui.newPage();
    await signIn(page);
    await page.goto('/w/default/settings');
    await openTab(page, 'Audit log');
    const log = page.getByRole('table', { name: 'Audit log' });
    const rowOf = (text: string | RegExp) => log.locator('tbody tr').filter({ hasText: text });
    await rowOf('Severity Medium → High')
      .getByRole('link', { name: `#${number}` })
      .waitFor();
    await rowOf('Checked the VPN logs.').waitFor();

    // Only automation: the rule's tag, linked to the rule; the person's change and comment are gone.
    await page.getByLabel('Changed by').selectOption('automation');
    await page.waitForURL(/\/settings\/audit\?actor=automation$/);
    await rowOf(/Tags: (added )?vpn/)
      .getByRole('link', { name: 'Automation rule: Tag VPN alerts' })
      .waitFor();
    await rowOf('Severity Medium → High').waitFor({ state: 'detached' });
    await expect(rowOf('Checked the VPN logs.').count()).resolves.toBe(0);
    await screenshot(page, 'settings-audit-log');

    // The address carries the filters: people's severity changes only.
    await page.goto('/w/default/settings/audit?actor=user&field=severity');
    await rowOf('Severity Medium → High').waitFor();
    await expect(page.getByLabel('Field').inputValue()).resolves.toBe('severity');
    await expect(log.locator('tbody tr').count()).resolves.toBe(1);
    await page.getByLabel('Field').selectOption('');
    await page.getByLabel('Entries').selectOption('comments');
    await rowOf('Checked the VPN logs.').waitFor();
    await expect(log.locator('tbody tr').count()).resolves.toBe(1);

    // A day range before anything happened matches nothing.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('To', { exact: true }).fill('2020-01-01');
    await page.getByText('No entries match these filters').waitFor();
  }, 60_000);
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { createUser, type TestUser } from '../support/people.js';
import { screenshot, signIn, startUiHarness, type UiHarness } from '../support/browser.js';

const ENDPOINT = 'Microsoft Defender for Endpoint';
const IDENTITY = 'Microsoft Entra ID Protection';
const OFFICE = 'Microsoft Defender for Office 365';
const FALCON = 'CrowdStrike Falcon';
const GUARDDUTY = 'Amazon GuardDuty';

/** A realistic queue: [title, severity, product, system tags]. */
const SEEDS: [string, 'High' | 'Medium' | 'Low' | 'Informational', string, string[]][] = [
  ['Ransomware behaviour detected on FIN-WS-042', 'High', ENDPOINT, ['ransomware', 'critical-asset']],
  ['Suspicious sign-in from a Tor exit node', 'Medium', IDENTITY, ['identity']],
  ['Phishing email delivered to finance mailbox', 'Medium', OFFICE, ['phishing']],
  ['Credential dumping with comsvcs.dll MiniDump', 'High', ENDPOINT, ['credential-access']],
  ['Impossible travel: Lisbon and Singapore within 20 min', 'Medium', IDENTITY, []],
  ['Port scan from 10.20.4.17 against DMZ hosts', 'Low', 'Zeek', ['recon']],
  ['Encoded PowerShell launched by winword.exe', 'High', ENDPOINT, ['malware']],
  ['Mass download from SharePoint by contractor account', 'Medium', OFFICE, ['insider']],
  ['Ransomware note dropped on file server FS-02', 'High', FALCON, ['ransomware']],
  ['Unusual S3 bucket policy change', 'Low', GUARDDUTY, ['cloud']],
  ['EC2 instance querying a cryptomining domain', 'Medium', GUARDDUTY, ['cloud', 'cryptomining']],
  ['MFA fatigue: 27 push denials for j.doe', 'High', IDENTITY, ['identity']],
  ['Malicious OAuth app consent granted', 'Medium', IDENTITY, []],
  ['Outbound connection to known C2 infrastructure', 'High', FALCON, ['c2']],
  ['Test alert from the EDR health check', 'Informational', ENDPOINT, []],
  ['Password spray against VPN gateway', 'Medium', IDENTITY, ['brute-force']],
  ['Suspicious inbox forwarding rule created', 'Low', OFFICE, ['bec']],
  ['LSASS access by an unsigned binary', 'High', ENDPOINT, ['credential-access']],
  ['Ransomware-like file renames detected in test lab', 'Medium', ENDPOINT, ['ransomware', 'pentest']],
  ['Anomalous token issuance for a service principal', 'Medium', IDENTITY, []],
  ['Brute force on SSH of bastion-01', 'Low', GUARDDUTY, ['brute-force']],
  ['USB mass storage mounted on a kiosk', 'Informational', FALCON, []],
  ['Typosquatted domain registered: c0ntoso.com', 'Low', OFFICE, ['phishing']],
  ['Kerberoasting: many TGS requests from WS-117', 'High', ENDPOINT, ['credential-access']],
  ['Defender tamper protection disabled', 'Medium', ENDPOINT, []],
  ['New admin account created outside change window', 'Medium', IDENTITY, ['persistence']],
  ['DNS tunnelling suspected from HR-LT-09', 'Low', 'Zeek', ['exfiltration']],
  ['Scheduled task persistence on SRV-APP-3', 'Medium', FALCON, ['persistence']],
  ['Spam wave blocked at the gateway', 'Informational', OFFICE, []],
  ['Root account console login without MFA', 'High', GUARDDUTY, ['cloud', 'vip']],
];

const titlesShown = (page: Page) => page.locator('table[aria-label="Incidents"] tbody td.title-cell a').allTextContents();

describe('web UI: incident queue', () => {
  let ui: UiHarness;
  let page: Page;
  let ana: TestUser;
  /** The seeded incidents by title: their numbers. */
  const numberOf = new Map<string, number>();

  /** The server's clock: set while seeding so the queue shows incidents of the last days; else real time. */
  let seedClock: number | undefined;

  beforeAll(async () => {
    ui = await startUiHarness('sqlite', { now: () => seedClock ?? Date.now() });
    ana = await createUser(ui.api, { email: 'ana@example.test', name: 'Ana Analyst', role: 'Responder' });
    await createUser(ui.api, { email: 'bo@example.test', name: 'Bo Berg', role: 'Responder' });
    // One alert (and so one incident) every few hours over the last days, oldest first.
    const start = Date.now() - SEEDS.length * 5 * 3600_000;
    for (const [index, [title, severity, productName, tags]] of SEEDS.entries()) {
      seedClock = start + index * 5 * 3600_000;
      const res = await ui.api.post(ui.api.ws('/alerts'), alert({ title, severity, productName, tags }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      numberOf.set(title, res.body.results[0].incidentNumber);
    }
    // Some triage already done, as in a real queue.
    const patch = (title: string, body: Record<string, unknown>) =>
      ui.api
        .patch(ui.api.ws(`/incidents/${numberOf.get(title)}`), body)
        .then((r) => expect(r.status, JSON.stringify(r.body)).toBe(200));
    await patch('Phishing email delivered to finance mailbox', {
      status: 'Active',
      owner: { email: 'bo@example.test' },
      addTags: ['finance'],
    });
    await patch('Credential dumping with comsvcs.dll MiniDump', { status: 'Active', owner: { email: 'bo@example.test' } });
    await patch('Test alert from the EDR health check', {
      status: 'Closed',
      classification: 'BenignPositive',
      classificationComment: 'Health check',
    });
    await patch('Spam wave blocked at the gateway', {
      status: 'Closed',
      classification: 'FalsePositive',
      classificationReason: 'InaccurateData',
    });
    await patch('MFA fatigue: 27 push denials for j.doe', { addTags: ['vip', 'escalated'] });
    seedClock = undefined;
    page = await ui.newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.baseUrl });
    await signIn(page);
  }, 60_000);
  afterAll(async () => ui?.close());

  it('filters by severity and text; a copied list link reproduces the view; Back undoes a filter', async () => {
    await page.goto('/w/default/incidents');
    await page.getByRole('link', { name: 'Root account console login without MFA' }).waitFor();
    expect(await titlesShown(page)).toHaveLength(SEEDS.length);
    await screenshot(page, 'queue');

    await page.getByRole('button', { name: /^Severity:/ }).click();
    await page.getByRole('group', { name: 'Severity filter' }).getByRole('checkbox', { name: 'High' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/severity=High/);
    await page.getByRole('searchbox', { name: 'Search incidents' }).fill('ransomware');
    await page.waitForURL(/q=ransomware/);
    const expected = ['Ransomware behaviour detected on FIN-WS-042', 'Ransomware note dropped on file server FS-02'];
    await expect.poll(async () => (await titlesShown(page)).sort(), { timeout: 10_000 }).toEqual(expected.sort());
    // The counts follow the filters.
    await expect.poll(() => page.getByRole('group', { name: 'Incident counts' }).textContent()).toMatch(/^2Incidents/);

    await page.getByRole('button', { name: 'Copy list link' }).click();
    await page.getByText('Link copied').waitFor();
    const link = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    );
    expect(link).toBe(page.url());
    const other = await page.context().newPage();
    await other.goto(link);
    await other.getByRole('link', { name: expected[0] }).waitFor();
    expect((await titlesShown(other)).sort()).toEqual(expected.sort());
    expect(await other.getByRole('searchbox', { name: 'Search incidents' }).inputValue()).toBe('ransomware');
    expect(await other.getByRole('button', { name: /^Severity:/ }).textContent()).toContain('High');
    await other.close();

    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('q'));
    await expect.poll(async () => (await titlesShown(page)).length).toBe(SEEDS.filter((s) => s[1] === 'High').length);
    await page.goForward();
    await expect.poll(async () => (await titlesShown(page)).sort()).toEqual(expected.sort());
  });

  it('assigns three selected incidents to a person through Manage incidents', async () => {
    await page.goto('/w/default/incidents?status=New');
    const chosen = [
      'DNS tunnelling suspected from HR-LT-09',
      'New admin account created outside change window',
      'Typosquatted domain registered: c0ntoso.com',
    ];
    for (const title of chosen) {
      await page.getByRole('checkbox', { name: `Select incident ${numberOf.get(title)}`, exact: true }).check();
    }
    await page.getByRole('button', { name: 'Manage incidents (3)' }).click();
    const pane = page.getByRole('dialog', { name: 'Manage incidents' });
    await pane.getByRole('combobox', { name: 'Owner' }).fill('Ana');
    await pane.getByRole('option', { name: /Ana Analyst/ }).click();
    await pane.getByRole('combobox', { name: 'Tags to add' }).fill('triaged');
    await pane.getByRole('option', { name: '(Create new) triaged' }).click();
    await screenshot(page, 'manage-incidents');
    await pane.getByRole('button', { name: 'Apply to 3' }).click();
    await page.getByText('Updated 3 incidents.').waitFor();
    expect(await pane.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Manage incidents' }).isDisabled()).toBe(true);

    const owned = await ui.api.get(`${ui.api.ws('/incidents')}?owner=${ana.id}&limit=500`);
    expect(owned.body.items.map((i: { number: number }) => i.number).sort()).toEqual(chosen.map((t) => numberOf.get(t)).sort());
    for (const incident of owned.body.items) expect(incident.tags).toContain('triaged');
  });

  it('closes an incident with a classification through the pane', async () => {
    const title = 'Brute force on SSH of bastion-01';
    const number = numberOf.get(title)!;
    await page.goto('/w/default/incidents');
    await page.getByRole('checkbox', { name: `Select incident ${number}`, exact: true }).check();
    await page.getByRole('button', { name: 'Manage incidents (1)' }).click();
    const pane = page.getByRole('dialog', { name: 'Manage incidents' });
    await pane.getByLabel('Status').selectOption('Closed');
    expect(await pane.getByRole('button', { name: 'Apply to 1' }).isDisabled()).toBe(true);
    await pane.getByText('Choose a classification to close the incidents.').waitFor();
    await pane.getByLabel('Classification', { exact: true }).selectOption('FalsePositive');
    await pane.getByLabel('Classification reason').selectOption('IncorrectAlertLogic');
    await pane.getByLabel('Determination').selectOption('NotMalicious');
    await pane.getByLabel('Resolution note').fill('Scanner from the vulnerability team.');
    await pane.getByRole('button', { name: 'Apply to 1' }).click();
    await page.getByText('Updated 1 incident.').waitFor();

    const closed = (await ui.api.get(ui.api.ws(`/incidents/${number}`))).body;
    expect(closed).toMatchObject({
      status: 'Closed',
      classification: 'FalsePositive',
      classificationReason: 'IncorrectAlertLogic',
      determination: 'NotMalicious',
      classificationComment: 'Scanner from the vulnerability team.',
    });
    await page
      .getByRole('row', { name: new RegExp(title) })
      .getByText('Closed')
      .waitFor();
  });

  it('shows an incident created elsewhere without a reload, and the cross-workspace queue', async () => {
    await page.goto('/w/default/incidents');
    await page.getByRole('link', { name: 'Root account console login without MFA' }).waitFor();
    const created = await ui.api.post(ui.api.ws('/incidents'), {
      title: 'Live: data exfiltration to a personal drive',
      severity: 'High',
    });
    expect(created.status).toBe(201);
    await page.getByRole('link', { name: 'Live: data exfiltration to a personal drive' }).waitFor();
    await page.getByText('new since you opened').waitFor();

    await page.goto('/incidents?severity=High');
    await page.getByRole('columnheader', { name: 'Workspace' }).waitFor();
    const link = page.getByRole('link', { name: 'Live: data exfiltration to a personal drive' });
    expect(await link.getAttribute('href')).toBe(`/w/default/incidents/${created.body.number}`);
    expect(await page.getByRole('button', { name: 'Manage incidents' }).isDisabled()).toBe(true);
  });
});

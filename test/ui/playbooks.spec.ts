import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn, startUiHarness, type UiHarness } from '../support/browser.js';

const FINISHED = ['succeeded', 'failed', 'cancelled'];

/** A manual playbook typed in the editor: counts the incident's entities, sets a variable, comments. */
const triage = (action: string) => `name: Triage note
description: Counts the incident's entities and leaves a triage comment.
trigger:
  type: manual
  targets: [incident]
steps:
  - id: entities
    uses: incident.getEntities
  - id: summary
    set:
      count: \${{ steps.entities.output.count }}
  - id: check
    if: \${{ vars.count > 5 }}
    then:
      - stop: { status: succeeded, message: Too many entities for a note }
    else:
      - id: note
        uses: ${action}
        with:
          message: "Triage: \${{ vars.count }} entities on this incident."
`;

const approvalPlaybook = `name: Block sign-in after approval
description: Asks the on-call lead before disabling a user; comments the decision.
trigger: { type: manual, targets: [incident] }
steps:
  - id: decision
    approval:
      message: "Disable the account j.doe@contoso.com? It signed in from a known C2 address."
      choices: [Disable, Ignore]
      assignees: { users: [admin@example.test], groups: [Tier 2] }
      expiresIn: 4h
      defaultChoice: Ignore
  - uses: incident.addComment
    with: { message: "Decision: \${{ steps.decision.output.choice }}" }
`;

const seeds = [
  `name: Enrich IP addresses
description: VirusTotal reputation of each IP entity, added as a comment.
trigger: incident
steps:
  - id: ips
    uses: incident.getEntities
    with: { kind: Ip }
  - id: reports
    forEach: \${{ steps.ips.output.entities }}
    as: ip
    steps:
      - uses: incident.addComment
        with: { message: "IP \${{ ip.name }}" }
`,
  `name: Ticket from SIEM webhook
description: Opens an incident comment for each webhook call from the SIEM.
trigger: webhook
steps:
  - set: { body: "\${{ trigger.payload }}" }
`,
  `name: Close duplicate phishing reports
description: Closes a reported phish as a duplicate when the same sender was reported today.
trigger: { type: manual, targets: [incident] }
steps:
  - id: alerts
    uses: incident.getAlerts
  - stop: { status: failed, message: No earlier report of this sender today }
`,
  `name: Nightly stale-incident sweep
description: Every night, looks for incidents nobody touched in a week.
enabled: false
trigger: { type: schedule, cron: '0 2 * * *', timezone: Europe/Berlin }
steps:
  - wait: { duration: 1s }
`,
];

describe('web UI: playbooks, runs, connections and approvals', () => {
  let ui: UiHarness;
  let page: Page;
  let incident: number;

  beforeAll(async () => {
    ui = await startUiHarness('sqlite', { worker: true });
    incident = (await ui.api.post(ui.api.ws('/incidents'), { title: 'Sign-in from a known C2 address', severity: 'High' })).body
      .number;
    for (const source of seeds) expect((await ui.api.post(ui.api.ws('/playbooks'), { source })).status).toBe(201);
    for (const name of ['Enrich IP addresses', 'Close duplicate phishing reports']) {
      expect((await ui.api.post(ui.api.ws(`/playbooks/${name}/runs`), { incident })).status).toBe(202);
    }
    page = await ui.newPage();
    await signIn(page);
  });
  afterAll(async () => ui?.close());

  async function runFinished(id: string) {
    for (let i = 0; i < 100; i++) {
      const run = (await ui.api.get(ui.api.ws(`/runs/${id}`))).body;
      if (FINISHED.includes(run.status)) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`run ${id} did not finish`);
  }

  async function runStatus(id: string, status: string) {
    for (let i = 0; i < 100; i++) {
      if ((await ui.api.get(ui.api.ws(`/runs/${id}`))).body.status === status) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`run ${id} never became ${status}`);
  }

  it('writes a playbook in the editor with inline problems, shows its graph, saves and runs it', async () => {
    await page.goto('/w/default/playbooks/new');
    const editor = page.getByLabel('Playbook YAML');
    await editor.fill(triage('incident.addComent'));
    const problem = page.getByRole('list', { name: 'Problems' }).getByRole('button').first();
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/Line 18.*addComent/);
    await problem.click();
    // The root tsconfig has no DOM types: the textarea is typed by the two fields read.
    const cursorLine = await editor.evaluate((el) => {
      const area = el as unknown as { value: string; selectionStart: number };
      return area.value.slice(0, area.selectionStart).split('\n').length;
    });
    expect(cursorLine).toBe(18);

    // The graph draws the steps, nested: set, the condition's two branches, the action inside.
    const graph = page.getByRole('region', { name: 'Steps graph' });
    await graph.getByText('incident.getEntities').waitFor();
    await graph.getByText('Set variables').waitFor();
    await graph.getByText('then', { exact: true }).waitFor();
    await graph.getByText('else', { exact: true }).waitFor();

    // Broken YAML keeps the last good graph and says where.
    await editor.fill(`${triage('incident.addComment')}  - id: [oops\n`);
    await graph.getByText(/YAML error line \d+/).waitFor();
    expect(await graph.getByText('incident.getEntities').count()).toBe(1);

    await editor.fill(triage('incident.addComment'));
    await page.getByRole('status').filter({ hasText: 'Valid' }).waitFor();
    await screenshot(page, 'playbook-editor');
    await page.getByRole('button', { name: 'Create playbook' }).click();
    await page.waitForURL(/\/w\/default\/playbooks\/[^/]+$/);
    const saved = (await ui.api.get(ui.api.ws('/playbooks/Triage note'))).body;
    expect(saved.version).toBe(1);
    expect(saved.trigger).toBe('manual');

    await page.getByRole('button', { name: '▶ Run now' }).click();
    await page.getByLabel('Incident number').fill(String(incident));
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/w\/default\/runs\/[^/]+$/);
    const runId = page.url().split('/').pop()!;
    const run = await runFinished(runId);
    expect(run.status).toBe('succeeded');

    const tree = page.getByRole('tree', { name: 'Steps' });
    await tree.getByRole('treeitem', { name: 'note: succeeded' }).waitFor();
    await tree.getByRole('treeitem', { name: 'entities: succeeded' }).waitFor();
    await page
      .getByRole('button', { name: 'Expand step check.else[0].note' })
      .or(page.getByRole('button', { name: /Expand step .*note$/ }))
      .first()
      .click();
    await page.getByText('"commentId"').or(page.getByText(/"id":/)).first().waitFor();
    await page.getByRole('button', { name: /Expand step .*summary$/ }).click();
    await page.getByText('"count": 0').first().waitFor();
    await screenshot(page, 'playbook-run');
    const comments = JSON.stringify((await ui.api.get(ui.api.ws(`/incidents/${incident}/activity`))).body);
    expect(comments).toContain('Triage: 0 entities on this incident.');
  });

  it('keeps an unsaved edit across tabs and asks before leaving the playbook', async () => {
    const saved = (await ui.api.get(ui.api.ws('/playbooks/Triage note'))).body;
    await page.goto(`/w/default/playbooks/${saved.id}`);
    const editor = page.getByLabel('Playbook YAML');
    const edited = saved.source.replace('Triage note', 'Triage note (draft)');
    await editor.fill(edited);
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('tab', { name: 'Definition' }).click();
    await expect(editor.inputValue()).resolves.toBe(edited);

    await page.getByRole('link', { name: 'All playbooks' }).click();
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.getByText('Your changes to this playbook are not saved').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(editor.inputValue()).resolves.toBe(edited);
    await page.getByRole('link', { name: 'All playbooks' }).click();
    await dialog.getByRole('button', { name: 'Discard changes' }).click();
    await page.waitForURL(/\/w\/default\/playbooks$/);
    expect((await ui.api.get(ui.api.ws('/playbooks/Triage note'))).body.version).toBe(saved.version);
  });

  it('answers an approval in the inbox and the waiting run resumes', async () => {
    const made = await ui.api.post(ui.api.ws('/playbooks'), { source: approvalPlaybook });
    expect(made.status).toBe(201);
    const started = await ui.api.post(ui.api.ws(`/playbooks/${made.body.id}/runs`), { incident });
    expect(started.status).toBe(202);
    await runStatus(started.body.id, 'waiting');

    await page.goto('/w/default/approvals');
    const card = page.getByRole('listitem', { name: /Approval: Disable the account/ });
    await card.waitFor();
    await screenshot(page, 'approvals');
    await card.getByRole('button', { name: 'Disable' }).click();
    const run = await runFinished(started.body.id);
    expect(run.status).toBe('succeeded');
    expect(run.steps[0].output.choice).toBe('Disable');
    await page.getByRole('tab', { name: 'Answered and expired' }).click();
    await page.getByText('Disable', { exact: true }).first().waitFor();
  });

  it('lists playbooks with trigger, state and last run; disables one from the list', async () => {
    await page.goto('/w/default/playbooks');
    await page.getByRole('link', { name: 'Triage note' }).waitFor();
    await page.getByRole('link', { name: 'Enrich IP addresses' }).waitFor();
    await page.getByText('0 2 * * *').waitFor();
    await screenshot(page, 'playbooks');
    const rule = await ui.api.post(ui.api.ws('/automation-rules'), {
      name: 'Enrich every new incident',
      order: 10,
      trigger: 'incidentCreated',
      actions: [{ type: 'runPlaybook', playbook: 'Enrich IP addresses' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    await page.getByRole('button', { name: 'Delete Enrich IP addresses' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Enrich IP addresses?' });
    await dialog.getByRole('button', { name: 'Delete playbook' }).click();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/Enrich every new incident/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await ui.api.get(ui.api.ws('/playbooks/Enrich IP addresses'))).status).toBe(200);

    await page.getByRole('switch', { name: 'Enabled: Enrich IP addresses' }).click();
    await expect
      .poll(async () => (await ui.api.get(ui.api.ws('/playbooks/Enrich IP addresses'))).body.enabled, { timeout: 5000 })
      .toBe(false);
  });

  it('creates a connection with a secret the API never returns', async () => {
    await page.goto('/w/default/connections');
    await page.getByRole('button', { name: '+ New connection' }).click();
    const pane = page.getByRole('dialog', { name: 'New connection' });
    await pane.getByLabel('Connector').selectOption('http');
    await pane.getByLabel('Name', { exact: true }).fill('ticketing-api');
    await pane.getByLabel('baseUrl', { exact: true }).fill('https://tickets.example.com/api');
    await pane.getByLabel('auth', { exact: true }).selectOption('bearer');
    await pane.getByLabel('token', { exact: true }).fill('s3cr3t-token-value');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('cell', { name: 'ticketing-api', exact: true }).waitFor();
    const listed = await ui.api.get(ui.api.ws('/connections'));
    expect(JSON.stringify(listed.body)).not.toContain('s3cr3t-token-value');
    const one = (await ui.api.get(ui.api.ws('/connections/ticketing-api'))).body;
    expect(one.secrets).toEqual(['token']);
    expect(one.settings).toMatchObject({ baseUrl: 'https://tickets.example.com/api', auth: 'bearer' });

    // Edit: removing the secret explicitly.
    await page.getByRole('button', { name: 'Edit ticketing-api' }).click();
    await page.getByRole('button', { name: 'Remove secret token' }).click();
    await page.getByRole('button', { name: 'Save connection' }).click();
    await expect.poll(async () => (await ui.api.get(ui.api.ws('/connections/ticketing-api'))).body.secrets).toEqual([]);
  });

  it("filters the workspace's runs and shows a playbook's old version read-only", async () => {
    await page.goto('/w/default/runs');
    await page.getByRole('link', { name: 'Close duplicate phishing reports' }).waitFor();
    await page.getByLabel('Run status').selectOption('failed');
    await page.getByRole('link', { name: 'Triage note' }).waitFor({ state: 'detached' });
    expect(await page.getByText('No earlier report of this sender today').count()).toBe(1);

    await page.goto('/w/default/playbooks/Triage note');
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'Version 1' }).click();
    const source = page.getByLabel('Version 1 source');
    await source.waitFor();
    expect(await source.getAttribute('readonly')).not.toBeNull();
    expect(await source.inputValue()).toContain('name: Triage note');
  });
});

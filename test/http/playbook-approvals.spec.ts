import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGraphFake, startSmtpSink, type GraphFake, type SmtpSink } from '../support/fakes/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { createGroup, createUser, tokenFor, type TestUser } from '../support/people.js';
import { describeEachDialect, startTestAppOn, type TestApp, type TestAppOptions } from '../support/test-app.js';

/**
 * Seed scenario 4 (orchestration): an approval step emails Block / Ignore links, the run waits
 * durably, the server restarts, the Block link is opened and confirmed, and the run resumes and
 * blocks the user at the identity provider. Also: answers through the API, single-use links,
 * assignees only, expiry with the default choice, and the pending list.
 */

const ALICE = '6e7b768e-07e2-4810-8459-485f84f8f204';
const BOB = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';

const SAM = '{ users: [sam@example.test] }';

const playbook = (name: string, expiresIn: string, assignees: string) => `
name: ${name}
trigger: { type: manual, targets: [incident] }
inputs: { user: { type: string, required: true } }
connections: { idp: entra-id }
steps:
  - id: decision
    approval:
      message: "Block \${{ inputs.user }}? It signed in from a known C2 address."
      choices: [Block, Ignore]
      assignees: ${assignees}
      expiresIn: ${expiresIn}
      defaultChoice: Ignore
  - if: \${{ steps.decision.output.choice = 'Block' }}
    then:
      - id: block
        uses: identity.disableUser
        connection: idp
        with: { user: "\${{ inputs.user }}" }
  - uses: incident.addComment
    with: { message: "\${{ steps.decision.output.choice }} (expired: \${{ steps.decision.output.expired }})" }
`;

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeEachDialect('playbooks: approvals by email and the API, across a restart', (dialect) => {
  let database: TestDatabase;
  let t: TestApp;
  let sink: SmtpSink;
  let graph: GraphFake;
  let sam: TestUser;
  let incident: number;
  let options: TestAppOptions;

  beforeAll(async () => {
    sink = await startSmtpSink();
    graph = await startGraphFake();
    database = await createTestDatabase(dialect);
    options = { worker: true, env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1', SMTP_URL: `smtp://${sink.host}:${sink.port}` } };
    t = await startTestAppOn(database, options);
    const idp = await t.post(t.ws('/connections'), {
      name: 'entra-id',
      connector: 'identity',
      settings: { tenantId: graph.tenantId, clientId: graph.clientId, baseUrl: graph.url, loginUrl: graph.url },
      secrets: { clientSecret: graph.clientSecret },
    });
    expect(idp.status, JSON.stringify(idp.body)).toBe(201);
    sam = await createUser(t, { email: 'sam@example.test', name: 'Sam Approver', role: 'Responder' });
    incident = (await t.post(t.ws('/incidents'), { title: 'Sign-in from a C2 address', severity: 'High' })).body.number;
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
    await sink?.close();
    await graph?.close();
  });

  /** Creates the playbook and starts it on the incident for `user`; resolves once the run waits for its approval. */
  async function waitingRun(user: string, expiresIn = '1h', assignees = SAM) {
    const source = playbook(`Approve block ${randomUUID().slice(0, 8)}`, expiresIn, assignees);
    const made = await t.post(t.ws('/playbooks'), { source });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const started = await t.post(t.ws(`/playbooks/${made.body.id}/runs`), { incident, inputs: { user } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const run = await until(started.body.id, (status) => status !== 'queued' && status !== 'running');
    expect(run.status, JSON.stringify(run.message)).toBe('waiting');
    const approvals = (await t.get(t.ws(`/approvals?runId=${run.id}`))).body.items;
    expect(approvals).toHaveLength(1);
    return { runId: run.id as string, approval: approvals[0] };
  }

  /** Polls the run (bounded) until its status passes the test; returns its detail. */
  async function until(runId: string, done: (status: string) => boolean, tries = 150) {
    for (let i = 0; i < tries; i++) {
      const run = (await t.get(t.ws(`/runs/${runId}`))).body;
      if (done(run.status)) return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not get there within ${tries / 10} s`);
  }
  /** Presses a button of the page a link opens: the browser posts the form to the link's URL. */
  const press = (link: string, choice: string) =>
    t.post(link, undefined, { token: null, headers: FORM, raw: `choice=${encodeURIComponent(choice)}` });
  const finished = (runId: string) => until(runId, (s) => ['succeeded', 'failed', 'cancelled'].includes(s));
  const decision = (run: { steps: { id: string; output: unknown }[] }) => run.steps.find((s) => s.id === 'decision')!.output;

  /** The one-click links of the email sent to `to` about this approval. */
  async function linksFor(approvalId: string, to: string): Promise<Record<string, string>> {
    for (let i = 0; i < 100; i++) {
      const mail = sink.messages.find((m) => m.headers['x-vigil-approval'] === approvalId && m.envelope.to.includes(to));
      if (mail) {
        const links = [...mail.text!.matchAll(/^(\w+): http:\/\/vigil\.test(\/approve\/\S+)$/gm)];
        return Object.fromEntries(links.map((m) => [m[1]!, m[2]!]));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no approval email to ${to}`);
  }

  it('emails Block/Ignore links; after a restart the Block link confirms, the run resumes and disables the user', async () => {
    const { runId, approval } = await waitingRun('alice@contoso.com');
    expect(approval).toMatchObject({
      status: 'pending',
      choices: ['Block', 'Ignore'],
      defaultChoice: 'Ignore',
      assignees: { users: ['sam@example.test'], groups: [] },
      message: 'Block alice@contoso.com? It signed in from a known C2 address.',
    });
    const links = await linksFor(approval.id, 'sam@example.test');
    expect(Object.keys(links)).toEqual(['Block', 'Ignore']);
    const mail = sink.messages.find((m) => m.headers['x-vigil-approval'] === approval.id)!;
    expect(mail.subject).toContain('Approval needed');
    expect(mail.html).toContain(`href="http://vigil.test${links.Block}"`);
    expect((await t.get(t.ws('/approvals'))).body.items.map((a: { id: string }) => a.id)).toContain(approval.id);

    // the server restarts on the same database while the run waits
    await t.close();
    t = await startTestAppOn(database, options);
    expect((await t.get(t.ws(`/runs/${runId}`))).body.status).toBe('waiting');

    const page = await t.get(links.Block!, { token: null });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<form method="post">');
    expect(page.body).toContain('Confirm: Block');
    expect((await t.get(t.ws(`/runs/${runId}`))).body.status).toBe('waiting'); // opening the page decides nothing

    expect((await press(links.Block!, 'Quarantine')).status).toBe(400); // not one of the choices
    const answered = await press(links.Block!, 'Block');
    expect(answered.status, answered.body).toBe(200);
    expect(answered.body).toContain('Your answer &quot;Block&quot; was recorded');
    const run = await finished(runId);
    expect(run.status, JSON.stringify(run.message)).toBe('succeeded');
    expect(graph.users.get(ALICE)!.accountEnabled).toBe(false);
    expect(run.steps.find((s: { id: string }) => s.id === 'decision')).toMatchObject({ kind: 'approval', status: 'succeeded' });
    const output = decision(run) as { answeredAt: string };
    expect(output).toMatchObject({
      choice: 'Block',
      expired: false,
      answeredBy: { id: sam.id, name: 'Sam Approver', email: 'sam@example.test' },
    });
    expect(Date.now() - Date.parse(output.answeredAt)).toBeLessThan(60_000);
    const stored = await t.get(`/api/v1/approvals/${approval.id}`, { token: await tokenFor(t, sam) });
    expect(stored.body).toMatchObject({
      status: 'answered',
      choice: 'Block',
      answeredVia: 'link',
      answeredAt: output.answeredAt,
    });

    // the link works once: the page says so and a second answer is refused
    const again = await t.get(links.Ignore!, { token: null });
    expect(again.body).toContain('already answered');
    expect(again.body).not.toContain('<form');
    const twice = await press(links.Block!, 'Ignore');
    expect(twice.status).toBe(409);
    expect((await t.get(`/api/v1/approvals/${approval.id}`, { token: await tokenFor(t, sam) })).body.choice).toBe('Block');
    expect((await t.get('/approve/not-a-real-token-at-all', { token: null })).status).toBe(404);
  });

  it('answers through POST /api/v1/approvals/:id: assignees only, a choice among the offered ones, once', async () => {
    const { runId, approval } = await waitingRun('bob@contoso.com');
    const outsider = await createUser(t, { name: 'Not Asked', role: 'Responder' });
    const url = `/api/v1/approvals/${approval.id}`;
    const refused = await t.post(url, { choice: 'Block' }, { token: await tokenFor(t, outsider) });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('not among the people asked');
    const samToken = await tokenFor(t, sam);
    const wrong = await t.post(url, { choice: 'Quarantine' }, { token: samToken });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('"Block", "Ignore"');

    const answered = await t.post(url, { choice: 'Ignore' }, { token: samToken });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ status: 'answered', choice: 'Ignore', answeredVia: 'api', answeredBy: { id: sam.id } });
    const second = await t.post(url, { choice: 'Block' }, { token: samToken });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain('already answered');

    const run = await finished(runId);
    expect(run.status).toBe('succeeded');
    expect(decision(run)).toMatchObject({ choice: 'Ignore', expired: false, answeredBy: { name: 'Sam Approver' } });
    expect(run.steps.some((s: { id: string }) => s.id === 'block')).toBe(false);
    expect(graph.users.get(BOB)!.accountEnabled).toBe(true);
    // the email link of an approval answered in the API no longer works
    const links = await linksFor(approval.id, 'sam@example.test');
    const late = await press(links.Block!, 'Block');
    expect(late.status).toBe(409);
  });

  it('lists pending approvals of the workspace; answered ones only on request', async () => {
    const first = await waitingRun('bob@contoso.com');
    const second = await waitingRun('bob@contoso.com');
    const pending = (await t.get(t.ws('/approvals'))).body.items.map((a: { id: string }) => a.id);
    expect(pending).toEqual(expect.arrayContaining([first.approval.id, second.approval.id]));
    await t.post(`/api/v1/approvals/${first.approval.id}`, { choice: 'Ignore' }, { token: await tokenFor(t, sam) });
    const after = (await t.get(t.ws('/approvals'))).body.items.map((a: { id: string }) => a.id);
    expect(after).toContain(second.approval.id);
    expect(after).not.toContain(first.approval.id);
    const answered = (await t.get(t.ws('/approvals?status=answered'))).body.items.map((a: { id: string }) => a.id);
    expect(answered).toContain(first.approval.id);
    await t.post(`/api/v1/approvals/${second.approval.id}`, { choice: 'Ignore' }, { token: await tokenFor(t, sam) });
    await finished(second.runId);
  });

  it('applies the default choice when nobody answers before the expiry', async () => {
    const { runId, approval } = await waitingRun('alice@contoso.com', '1s');
    graph.users.get(ALICE)!.accountEnabled = true;
    const run = await finished(runId);
    expect(run.status, JSON.stringify(run.message)).toBe('succeeded');
    expect(decision(run)).toMatchObject({ choice: 'Ignore', expired: true, answeredBy: null });
    expect(graph.users.get(ALICE)!.accountEnabled).toBe(true);
    const stored = (await t.get(`/api/v1/approvals/${approval.id}`, { token: await tokenFor(t, sam) })).body;
    expect(stored).toMatchObject({ status: 'expired', choice: 'Ignore', answeredVia: 'default', answeredBy: null });
    const late = await t.post(`/api/v1/approvals/${approval.id}`, { choice: 'Block' }, { token: await tokenFor(t, sam) });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('expired');
  });

  it("a group's members are asked and may answer; cancelling the run cancels the request and its links", async () => {
    const [lee, kim] = [
      await createUser(t, { email: 'lee@example.test', name: 'Lee', role: 'Responder' }),
      await createUser(t, { email: 'kim@example.test', name: 'Kim', role: 'Responder' }),
    ];
    await createGroup(t, { name: 'SOC leads', members: [lee, kim] });
    const answered = await waitingRun('bob@contoso.com', '1h', '{ groups: [SOC leads] }');
    expect(answered.approval.assignees).toEqual({ users: [], groups: ['SOC leads'] });
    await linksFor(answered.approval.id, 'lee@example.test');
    const kimsLinks = await linksFor(answered.approval.id, 'kim@example.test');
    const url = `/api/v1/approvals/${answered.approval.id}`;
    expect((await t.post(url, { choice: 'Ignore' }, { token: await tokenFor(t, sam) })).status).toBe(403);
    const byKim = await t.post(url, { choice: 'Ignore' }, { token: await tokenFor(t, kim) });
    expect(byKim.body).toMatchObject({ status: 'answered', answeredBy: { id: kim.id, name: 'Kim' } });
    expect((await press(kimsLinks.Block!, 'Block')).status).toBe(409);
    expect((await finished(answered.runId)).status).toBe('succeeded');

    const cancelled = await waitingRun('bob@contoso.com', '1h', '{ groups: [SOC leads] }');
    const links = await linksFor(cancelled.approval.id, 'lee@example.test');
    expect((await t.post(t.ws(`/runs/${cancelled.runId}/cancel`))).status).toBe(200);
    expect((await t.get(t.ws(`/runs/${cancelled.runId}`))).body.status).toBe('cancelled');
    const stored = await t.get(`/api/v1/approvals/${cancelled.approval.id}`, { token: await tokenFor(t, lee) });
    expect(stored.body.status).toBe('cancelled');
    expect((await t.get(links.Block!, { token: null })).body).toContain('cancelled');
    const late = await press(links.Block!, 'Block');
    expect(late.status).toBe(409);
  });

  it('when the SMTP server refuses the email, the request still waits, says why, and can be answered in the API', async () => {
    sink.failWith(554);
    try {
      const { runId, approval } = await waitingRun('bob@contoso.com');
      let notified = approval.notified;
      for (let i = 0; i < 50 && notified.at === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        notified = (await t.get(t.ws(`/approvals?runId=${runId}`))).body.items[0].notified;
      }
      expect(notified.email).toEqual([]);
      expect(notified.errors).toEqual([expect.stringContaining('email to sam@example.test')]);
      expect((await t.get(t.ws(`/runs/${runId}`))).body.status).toBe('waiting');
      sink.failWith(undefined);
      await t.post(`/api/v1/approvals/${approval.id}`, { choice: 'Ignore' }, { token: await tokenFor(t, sam) });
      expect((await finished(runId)).status).toBe('succeeded');
    } finally {
      sink.failWith(undefined);
    }
  });
});

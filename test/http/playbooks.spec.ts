import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserById } from '../../src/users/user-repository.js';
import { userWithToken } from '../support/people.js';
import { ADMIN_EMAIL, describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** A small valid manual playbook; `extra` adds top-level YAML lines (description, inputs, …). */
const yaml = (name: string, extra = '') =>
  `name: ${name}\ntrigger: { type: manual, targets: [incident] }\n${extra}steps:\n  - id: inc\n    uses: incident.get\n`;

/** Succeeds, or stops as failed when run with `inputs: { fail: true }`. */
const failable = (name: string) => `name: ${name}
trigger: { type: manual, targets: [incident] }
inputs: { fail: { type: boolean, default: false } }
steps:
  - id: inc
    uses: incident.get
  - if: \${{ inputs.fail }}
    then:
      - stop: { status: failed, message: asked to fail }
`;

const OTHER = 'playbooks-other';

describeEachDialect('playbooks: definitions, versions, the list and who may do what', (dialect) => {
  let t: TestApp;
  let incidentId: string;
  const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;
  const url = (ref = '', ws?: string) => t.ws(`/playbooks${ref && `/${encodeURIComponent(ref)}`}`, ws);
  const create = async (source: string, token?: string) => {
    const res = await t.post(url(), { source }, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const put = (ref: string, body: unknown, headers: Record<string, string> = {}, token?: string) =>
    t.request('PUT', url(ref), body, { headers, token });
  const names = async (query: string) => ((await t.get(`${url()}?${query}`)).body.items as { name: string }[]).map((p) => p.name);

  /** Starts a manual run on the test incident and waits (bounded) until it has finished. */
  async function runToEnd(ref: string, inputs: Record<string, unknown> = {}, token?: string) {
    const started = await t.post(`${url(ref)}/runs`, { incident: incidentId, inputs }, { token });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    for (let i = 0; i < 100; i++) {
      const run = await t.get(t.ws(`/runs/${started.body.id}`));
      if (!['queued', 'running', 'waiting'].includes(run.body.status)) return run.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${started.body.id} did not finish within 10 s`);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { worker: true });
    incidentId = (await t.post(t.ws('/incidents'), { title: 'Playbook target', severity: 'High' })).body.id;
  });
  afterAll(() => t?.close());

  describe('create and read', () => {
    it('creates a playbook from YAML and reads it by id and by name: source as written, format, definition, version 1', async () => {
      const name = unique('From YAML');
      const source = yaml(name, 'description: Reads the incident\n');
      const made = await create(source);
      expect(made).toMatchObject({ name, description: 'Reads the incident', enabled: true, trigger: 'manual', version: 1 });
      expect(made).toMatchObject({ source, format: 'yaml', runs: { total: 0, succeeded: 0, failed: 0, last: null } });
      expect(made.definition).toMatchObject({ name, steps: [{ id: 'inc', kind: 'action', uses: 'incident.get' }] });
      for (const ref of [made.id, name, name.toUpperCase()]) {
        const got = await t.get(url(ref));
        expect(got.status).toBe(200);
        expect(got.body).toMatchObject({ id: made.id, source, format: 'yaml', version: 1, etag: made.etag });
        expect(got.headers.etag).toBe(made.etag);
      }
    });

    it('creates from JSON text (kept as written) and from a definition object (stored as indented JSON)', async () => {
      const text = JSON.stringify({ name: unique('From JSON'), trigger: 'incident', steps: [{ uses: 'incident.get' }] });
      const fromText = await create(text);
      expect(fromText).toMatchObject({ format: 'json', source: text, trigger: 'incident', version: 1 });
      const definition = { name: unique('From object'), trigger: 'alert', steps: [{ id: 'a', uses: 'alert.getIncident' }] };
      const res = await t.post(url(), { definition });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ format: 'json', trigger: 'alert', source: JSON.stringify(definition, null, 2) });
      expect(res.body.definition.steps[0]).toMatchObject({ id: 'a', uses: 'alert.getIncident' });
    });

    it('refuses a second playbook with the same name in any case (409), and a body with both source and definition', async () => {
      const name = unique('Twice');
      await create(yaml(name));
      const again = await t.post(url(), { source: yaml(name.toLowerCase()) });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain(name.toLowerCase());
      expect((await t.post(url(), { source: yaml('x'), definition: {} })).status).toBe(400);
      expect(await names(`q=${encodeURIComponent(name)}`)).toEqual([name]);
    });
  });

  describe('versions and concurrent edits', () => {
    it('saves version 2 with PUT; version 1 stays readable with its own source; versions are listed newest first', async () => {
      const name = unique('Versioned');
      const v1 = await create(yaml(name));
      const source2 = yaml(name, 'description: second version\n');
      const v2 = await put(v1.id, { source: source2 });
      expect(v2.status).toBe(200);
      expect(v2.body).toMatchObject({ id: v1.id, version: 2, description: 'second version', source: source2 });
      expect(v2.headers.etag).toBe(v2.body.etag);
      expect((await t.get(url(name))).body).toMatchObject({ version: 2, source: source2 });
      const versions = await t.get(`${url(v1.id)}/versions`);
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      const first = await t.get(`${url(v1.id)}/versions/1`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ version: 1, format: 'yaml', source: v1.source });
      expect((await t.get(`${url(v1.id)}/versions/3`)).status).toBe(404);
    });

    it('answers 412 to PUT and PATCH with a stale If-Match and changes nothing; the current etag is accepted', async () => {
      const name = unique('Etag');
      const made = await create(yaml(name));
      const edited = await put(made.id, { source: yaml(name, 'description: first edit\n') }, { 'if-match': made.etag });
      expect(edited.status).toBe(200);
      const stalePut = await put(made.id, { source: yaml(name, 'description: lost\n') }, { 'if-match': made.etag });
      expect(stalePut.status).toBe(412);
      expect(stalePut.body.error.code).toBe('precondition_failed');
      const stalePatch = await t.patch(url(made.id), { enabled: false }, { headers: { 'if-match': made.etag } });
      expect(stalePatch.status).toBe(412);
      expect((await t.get(url(made.id))).body).toMatchObject({ version: 2, enabled: true, description: 'first edit' });
      const patched = await t.patch(url(made.id), { enabled: false }, { headers: { 'if-match': `W/${edited.body.etag}` } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ enabled: false, version: 2 });
      expect(patched.body.etag).not.toBe(edited.body.etag);
    });

    it('refuses to delete a playbook an automation rule or an analytics rule runs, naming them', async () => {
      const name = unique('In use');
      const alertName = unique('In use on alerts');
      const made = await create(yaml(name));
      const onAlerts = await create(`name: ${alertName}\ntrigger: alert\nsteps:\n  - set: { x: 1 }\n`);
      const rule = await t.post(t.ws('/automation-rules'), {
        name: unique('Runs it'),
        order: 10,
        trigger: 'incidentCreated',
        actions: [{ type: 'runPlaybook', playbook: name.toUpperCase() }],
      });
      expect(rule.status, JSON.stringify(rule.body)).toBe(201);
      const detection = await t.post(t.ws('/analytics-rules'), { name: unique('Detection'), playbookIds: [onAlerts.id] });
      expect(detection.status, JSON.stringify(detection.body)).toBe(201);
      const refused = await t.delete(url(made.id));
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain(`automation rule "${rule.body.name}"`);
      const refusedToo = await t.delete(url(onAlerts.id));
      expect(refusedToo.status).toBe(409);
      expect(refusedToo.body.error.message).toContain(`analytics rule "${detection.body.name}"`);
      expect((await t.get(url(made.id))).status).toBe(200);
      expect((await t.delete(t.ws(`/automation-rules/${rule.body.id}`))).status).toBe(204);
      expect((await t.patch(t.ws(`/analytics-rules/${detection.body.id}`), { playbookIds: [] })).status).toBe(200);
      expect((await t.delete(url(made.id))).status).toBe(204);
      expect((await t.delete(url(onAlerts.id))).status).toBe(204);
    });

    it('deletes a playbook: gone by id and by name, with its versions, and absent from the list', async () => {
      const name = unique('Deleted');
      const made = await create(yaml(name));
      const res = await t.delete(url(name));
      expect(res.status).toBe(204);
      expect((await t.get(url(made.id))).status).toBe(404);
      expect((await t.get(url(name))).status).toBe(404);
      expect((await t.get(`${url(made.id)}/versions/1`)).status).toBe(404);
      expect(await names(`q=${encodeURIComponent(name)}`)).toEqual([]);
      expect((await t.delete(url(made.id))).status).toBe(404);
    });
  });

  describe('the list', () => {
    it('shows enabled, trigger, run counts and the last run outcome, which follow finished runs', async () => {
      const name = unique('Counted');
      await create(failable(name));
      const listed = async () => (await t.get(`${url()}?q=${encodeURIComponent(name)}`)).body.items[0];
      expect(await listed()).toMatchObject({ enabled: true, trigger: 'manual', runs: { total: 0, last: null } });
      const ok = await runToEnd(name);
      expect(ok.status).toBe('succeeded');
      expect(await listed()).toMatchObject({
        runs: { total: 1, succeeded: 1, failed: 0, last: { id: ok.id, status: 'succeeded' } },
      });
      const failed = await runToEnd(name, { fail: true });
      expect(failed.status).toBe('failed');
      const after = await listed();
      expect(after.runs).toMatchObject({ total: 2, succeeded: 1, failed: 1, last: { id: failed.id, status: 'failed' } });
      expect(Date.parse(after.runs.last.at)).toBeGreaterThan(0);
    });

    it('filters by trigger (one or several), enabled and part of the name', async () => {
      const tag = randomUUID().slice(0, 8);
      await create(yaml(`Filter ${tag} manual`));
      const disabled = await create(yaml(`Filter ${tag} off`, 'enabled: false\n'));
      expect(disabled.enabled).toBe(false);
      const scheduled = await t.post(url(), {
        source: `name: Filter ${tag} cron\ntrigger: { type: schedule, cron: '0 3 * * *' }\nsteps:\n  - set: { a: 1 }\n`,
      });
      expect(scheduled.status).toBe(201);
      expect(scheduled.body.schedule).toMatchObject({ cron: '0 3 * * *', timezone: 'UTC' });
      const q = `q=${encodeURIComponent(`filter ${tag}`)}`;
      expect(await names(q)).toEqual([`Filter ${tag} cron`, `Filter ${tag} manual`, `Filter ${tag} off`]);
      expect(await names(`${q}&trigger=schedule`)).toEqual([`Filter ${tag} cron`]);
      expect(await names(`${q}&trigger=schedule&trigger=manual`)).toHaveLength(3);
      expect(await names(`${q}&enabled=false`)).toEqual([`Filter ${tag} off`]);
      expect(await names(`${q}&enabled=true&trigger=manual`)).toEqual([`Filter ${tag} manual`]);
      expect(await names(`q=${tag}-nothing`)).toEqual([]);
      expect((await t.get(`${url()}?trigger=sometimes`)).status).toBe(400);
    });
  });

  describe('permissions and workspaces', () => {
    it('a Reader lists and reads but cannot create, edit, toggle or run (403, nothing written)', async () => {
      const reader = await userWithToken(t, 'PbReader', 'Reader');
      const name = unique('Read only');
      const made = await create(yaml(name));
      expect((await t.get(url(made.id), { token: reader.token })).status).toBe(200);
      const refused = await t.post(url(), { source: yaml(unique('By reader')) }, { token: reader.token });
      expect(refused.status).toBe(403);
      expect(await names('q=by%20reader')).toEqual([]);
      expect((await put(made.id, { source: yaml(name, 'description: x\n') }, {}, reader.token)).status).toBe(403);
      expect((await t.patch(url(made.id), { enabled: false }, { token: reader.token })).status).toBe(403);
      expect((await t.post(`${url(made.id)}/runs`, { incident: incidentId }, { token: reader.token })).status).toBe(403);
      expect((await t.get(url(made.id))).body).toMatchObject({ version: 1, enabled: true, runs: { total: 0 } });
    });

    it('a PlaybookOperator enables and disables but cannot create, edit or delete', async () => {
      const operator = await userWithToken(t, 'PbOperator', 'PlaybookOperator');
      const name = unique('Operated');
      const made = await create(yaml(name));
      const off = await t.patch(url(made.id), { enabled: false }, { token: operator.token });
      expect(off.status).toBe(200);
      expect(off.body.modifiedBy).toMatchObject({ type: 'user', id: operator.id });
      expect((await t.patch(url(made.id), { enabled: true }, { token: operator.token })).body.enabled).toBe(true);
      expect((await put(made.id, { source: yaml(name, 'description: x\n') }, {}, operator.token)).status).toBe(403);
      expect((await t.post(url(), { source: yaml(unique('By operator')) }, { token: operator.token })).status).toBe(403);
      expect((await t.delete(url(made.id), { token: operator.token })).status).toBe(403);
      expect((await t.get(url(made.id))).body).toMatchObject({ version: 1, enabled: true, description: '' });
    });

    it('a PlaybookContributor creates, edits and deletes playbooks', async () => {
      const contributor = await userWithToken(t, 'PbContributor', 'PlaybookContributor');
      const name = unique('Contributed');
      const made = await create(yaml(name), contributor.token);
      expect(made.createdBy).toMatchObject({ type: 'user', id: contributor.id });
      const edited = await put(made.id, { source: yaml(name, 'description: edited\n') }, {}, contributor.token);
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ version: 2, description: 'edited' });
      expect((await t.delete(url(made.id), { token: contributor.token })).status).toBe(204);
    });

    it('a Responder starts a manual run, recorded as started by them', async () => {
      const responder = await userWithToken(t, 'PbResponder', 'Responder');
      const name = unique('Responded');
      await create(yaml(name));
      const run = await runToEnd(name, {}, responder.token);
      expect(run).toMatchObject({ status: 'succeeded', startedBy: { type: 'user', id: responder.id } });
    });

    it("another workspace's playbook is 404 by id and by name, and absent from this workspace's list", async () => {
      const created = await t.post('/api/v1/workspaces', { id: OTHER, name: 'Other playbooks', owner: { email: ADMIN_EMAIL } });
      expect(created.status).toBe(201);
      const admin = (await findUserById(t.app.storage.db, t.adminId))!;
      const { token } = await t.app.services.auth.createToken(
        { user: admin, via: 'session' },
        { name: 'other', workspaceId: OTHER, role: 'Owner' },
      );
      const name = unique('Elsewhere');
      const theirs = await t.post(url('', OTHER), { source: yaml(name) }, { token });
      expect(theirs.status).toBe(201);
      for (const ref of [theirs.body.id, name]) {
        const res = await t.get(url(ref));
        expect(res.status).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain('incident.get');
        expect((await t.patch(url(ref), { enabled: false })).status).toBe(404);
        expect((await t.delete(url(ref))).status).toBe(404);
      }
      expect(await names(`q=${encodeURIComponent(name)}`)).toEqual([]);
      expect((await t.get(url(theirs.body.id, OTHER), { token })).body).toMatchObject({ name, enabled: true });
    });
  });
});

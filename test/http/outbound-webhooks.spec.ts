import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findUserById } from '../../src/users/user-repository.js';
import { verifySignature } from '../../src/webhooks/index.js';
import { json, startFakeServer, text, type FakeServer, type RecordedRequest } from '../support/fakes/index.js';
import { alert } from '../support/fixtures.js';
import { createUser, userWithToken } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** Polls until `check` returns a value (bounded, 10 s). */
async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what}: not within 10 s`);
}

describeEachDialect('outbound webhooks: subscriptions, signed deliveries, retries, SSRF rules', (dialect) => {
  let t: TestApp;
  let receiver: FakeServer;
  /** Answers per path: `/ok/*` 200; `/flaky/<key>/<n>` 500 n times then 200; `/gone` 410. */
  const hits = new Map<string, number>();
  const received = (path: string) => receiver.requests.filter((r) => r.path === path);
  const at = (path: string) => `${receiver.url}${path}`;

  async function subscribe(name: string, path: string, events: string[], workspace?: string, token?: string) {
    const made = await t.post(t.ws('/webhook-subscriptions', workspace), { name, url: at(path), events }, token ? { token } : {});
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as { id: string; secret: string; etag: string };
  }
  const log = async (id: string, query = '') =>
    (await t.get(t.ws(`/webhook-subscriptions/${id}/deliveries${query}`))).body.items as any[];

  beforeAll(async () => {
    receiver = await startFakeServer((request: RecordedRequest) => {
      const [, kind, key, count] = request.path.split('/');
      if (kind === 'gone') return text(410, 'this endpoint is gone');
      if (kind !== 'flaky') return json(200, { ok: true });
      hits.set(key!, (hits.get(key!) ?? 0) + 1);
      return hits.get(key!)! <= Number(count) ? text(500, 'temporarily broken') : json(200, { ok: true });
    });
    t = await startTestApp(dialect, {
      worker: true,
      deliveries: true,
      env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1', VIGIL_DELIVERY_RETRY_MS: '50' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  describe('subscriptions', () => {
    it('returns the signing secret once, on creation; reads never show it', async () => {
      const made = await subscribe('Ticketing', '/ok/crud', ['incident.created']);
      expect(made.secret.length).toBeGreaterThanOrEqual(32);
      const got = await t.get(t.ws(`/webhook-subscriptions/${made.id}`));
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ name: 'Ticketing', events: ['incident.created'], enabled: true });
      expect(JSON.stringify(got.body)).not.toContain(made.secret);
      const listed = await t.get(t.ws('/webhook-subscriptions'));
      expect(JSON.stringify(listed.body)).not.toContain(made.secret);
      const rotated = await t.post(t.ws(`/webhook-subscriptions/${made.id}/rotate-secret`));
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).not.toBe(made.secret);
      expect(await t.delete(t.ws(`/webhook-subscriptions/${made.id}`))).toMatchObject({ status: 204 });
      expect((await t.get(t.ws(`/webhook-subscriptions/${made.id}`))).status).toBe(404);
    });

    it('needs the playbook contributor’s rights to change, a reader’s to read', async () => {
      const responder = await userWithToken(t, 'WebhookResponder', 'Responder');
      const contributor = await userWithToken(t, 'WebhookContributor', 'PlaybookContributor');
      const body = { name: 'By role', url: at('/ok/role'), events: ['incident.created'] };
      expect((await t.post(t.ws('/webhook-subscriptions'), body, { token: responder.token })).status).toBe(403);
      expect((await t.get(t.ws('/webhook-subscriptions'), { token: responder.token })).status).toBe(200);
      const made = await t.post(t.ws('/webhook-subscriptions'), body, { token: contributor.token });
      expect(made.status).toBe(201);
      expect((await t.delete(t.ws(`/webhook-subscriptions/${made.body.id}`), { token: responder.token })).status).toBe(403);
      expect((await t.delete(t.ws(`/webhook-subscriptions/${made.body.id}`), { token: contributor.token })).status).toBe(204);
    });

    it('refuses bad input naming the field, and writes nothing', async () => {
      const before = (await t.get(t.ws('/webhook-subscriptions'))).body.items.length;
      const cases: [Record<string, unknown>, string][] = [
        [{ name: 'x', url: 'ftp://example.com/hook', events: ['incident.created'] }, 'url'],
        [{ name: 'x', url: 'https://user:pw@example.com/hook', events: ['incident.created'] }, 'url'],
        [{ name: 'x', url: 'https://example.com/hook', events: ['incident.exploded'] }, 'events'],
        [{ name: 'x', url: 'https://example.com/hook', events: [] }, 'events'],
        [{ name: '', url: 'https://example.com/hook', events: ['incident.created'] }, 'name'],
        [{ name: 'x', url: 'https://example.com/hook', events: ['incident.created'], secret: 'short' }, 'secret'],
        [{ name: 'x', url: 'https://example.com/hook', events: ['incident.created'], extra: 1 }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const res = await t.post(t.ws('/webhook-subscriptions'), body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(JSON.stringify(res.body)).toContain(field);
      }
      expect((await t.get(t.ws('/webhook-subscriptions'))).body.items.length).toBe(before);
    });

    it('refuses loopback, private and metadata destinations the allowlist (here 127.0.0.1 only) does not name (SSRF)', async () => {
      for (const url of [
        'http://169.254.169.254/latest/meta-data',
        'http://10.1.2.3/hook',
        'http://127.0.0.2:9/hook',
        'http://192.168.1.10/hook',
        'http://[::1]/hook',
      ]) {
        const res = await t.post(t.ws('/webhook-subscriptions'), { name: `ssrf ${url}`, url, events: ['incident.created'] });
        expect(res.status, url).toBe(400);
        expect(res.body.error.message).toMatch(/url: Refused to connect/);
      }
    });

    it('detects a stale etag and a duplicate name; enforces the per-workspace limit', async () => {
      const made = await subscribe('Etag check', '/ok/etag', ['incident.created']);
      const first = await t.patch(
        t.ws(`/webhook-subscriptions/${made.id}`),
        { enabled: false },
        { headers: { 'if-match': made.etag } },
      );
      expect(first.status).toBe(200);
      const stale = await t.patch(
        t.ws(`/webhook-subscriptions/${made.id}`),
        { enabled: true },
        { headers: { 'if-match': made.etag } },
      );
      expect(stale.status).toBe(412);
      const dup = await t.post(t.ws('/webhook-subscriptions'), {
        name: 'etag CHECK',
        url: at('/ok/x'),
        events: ['incident.created'],
      });
      expect(dup.status).toBe(409);
      const existing = (await t.get(t.ws('/webhook-subscriptions'))).body.items.length;
      for (let i = existing; i < 50; i++) await subscribe(`filler ${i}`, '/ok/filler', ['task.created']);
      const over = await t.post(t.ws('/webhook-subscriptions'), {
        name: 'one too many',
        url: at('/ok/x'),
        events: ['incident.created'],
      });
      expect(over.status).toBe(413);
      expect(over.body.error.message).toContain('at most 50');
      // Clean up the fillers so later tests see only their own subscriptions' deliveries.
      for (const item of (await t.get(t.ws('/webhook-subscriptions'))).body.items) {
        await t.delete(t.ws(`/webhook-subscriptions/${item.id}`));
      }
    });
  });

  describe('deliveries', () => {
    beforeEach(async () => {
      for (const item of (await t.get(t.ws('/webhook-subscriptions'))).body.items) {
        await t.delete(t.ws(`/webhook-subscriptions/${item.id}`));
      }
    });

    it('posts the subscribed events with a signature that verifies, and only those', async () => {
      const sub = await subscribe('Sync', '/ok/sync', ['incident.created', 'comment.added', 'task.completed', 'incident.closed']);
      const incident = await t.post(t.ws('/incidents'), { title: 'Webhook incident', severity: 'High' });
      expect(incident.status).toBe(201);
      const id = incident.body.id;
      await t.post(t.ws(`/incidents/${id}/comments`), { message: 'Looking into it **now**' });
      const task = await t.post(t.ws(`/incidents/${id}/tasks`), { title: 'Contain host' });
      await t.patch(t.ws(`/incidents/${id}/tasks/${task.body.id}`), { status: 'Completed' });
      await t.patch(t.ws(`/incidents/${id}`), {
        status: 'Closed',
        classification: 'TruePositive',
        classificationReason: 'SuspiciousActivity',
        classificationComment: 'contained',
      });
      const requests = await eventually('four deliveries', () =>
        received('/ok/sync').length >= 4 ? received('/ok/sync') : undefined,
      );
      const types = requests.map((r) => (r.json as any).type);
      expect(types.sort()).toEqual(['comment.added', 'incident.closed', 'incident.created', 'task.completed']);
      for (const r of requests) {
        const header = String(r.headers['x-vigil-signature']);
        expect(verifySignature(sub.secret, r.body, header), header).toBe(true);
        expect(verifySignature('another secret of enough length', r.body, header)).toBe(false);
        expect(verifySignature(sub.secret, r.body.replace('Webhook', 'Tampered'), header)).toBe(false);
        expect(r.headers['x-vigil-event']).toBe((r.json as any).type);
        expect((r.json as any).incident).toMatchObject({ id, title: 'Webhook incident' });
      }
      const byType = Object.fromEntries(requests.map((r) => [(r.json as any).type, r.json as any]));
      expect(byType['comment.added'].comment.message).toBe('Looking into it **now**');
      expect(byType['task.completed'].task).toMatchObject({ id: task.body.id, title: 'Contain host', status: 'Completed' });
      expect(byType['incident.closed'].incident.status).toBe('Closed');
      expect(byType['incident.created'].actor.type).toBe('user');
      const entries = await eventually('log of four sent', async () => {
        const items = await log(sub.id);
        return items.length === 4 && items.every((d) => d.status === 'sent') ? items : undefined;
      });
      expect(entries.every((d) => d.responseCode === 200 && d.attempts === 1)).toBe(true);
    });

    it('sends incidents created by alert ingest once, as committed with the rules’ changes', async () => {
      const sub = await subscribe('Ingest', '/ok/ingest', ['incident.created', 'incident.updated']);
      const res = await t.post(t.ws('/alerts'), { alerts: [alert({ title: 'Ingested for webhooks' })] });
      expect(res.status).toBe(201);
      const [first] = await eventually('created delivery', () =>
        received('/ok/ingest').length >= 1 ? received('/ok/ingest') : undefined,
      );
      expect((first!.json as any).type).toBe('incident.created');
      expect((first!.json as any).incident.title).toBe('Ingested for webhooks');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(received('/ok/ingest')).toHaveLength(1);
      expect((await log(sub.id)).length).toBe(1);
    });

    it('retries a receiver answering 500, with backoff, until it answers 200', async () => {
      const sub = await subscribe('Flaky', '/flaky/a/2', ['incident.created']);
      await t.post(t.ws('/incidents'), { title: 'Retry me', severity: 'Low' });
      const [entry] = await eventually('sent after retries', async () => {
        const items = await log(sub.id);
        return items[0]?.status === 'sent' ? items : undefined;
      });
      expect(entry).toMatchObject({ status: 'sent', attempts: 3, responseCode: 200 });
      expect(received('/flaky/a/2')).toHaveLength(3);
      // Every attempt carried the same event and delivery id.
      expect(new Set(received('/flaky/a/2').map((r) => r.headers['x-vigil-delivery'])).size).toBe(1);
    });

    it('records a permanent refusal (410) as failed after one attempt, with the answer; redelivery sends it again', async () => {
      const sub = await subscribe('Gone', '/gone', ['incident.created']);
      await t.post(t.ws('/incidents'), { title: 'Nobody listens', severity: 'Low' });
      const [entry] = await eventually('failed', async () => {
        const items = await log(sub.id, '?status=failed');
        return items.length > 0 ? items : undefined;
      });
      expect(entry).toMatchObject({ status: 'failed', attempts: 1, responseCode: 410 });
      expect(entry.lastError).toContain('410');
      const again = await t.post(t.ws(`/webhook-subscriptions/${sub.id}/deliveries/${entry.id}/redeliver`));
      expect(again.status).toBe(202);
      await eventually('redelivered', () => (received('/gone').length >= 2 ? true : undefined));
    });

    it('refuses at send time a destination that became internal (the egress guard runs on every delivery)', async () => {
      const sub = await subscribe('Rebound', '/ok/rebound', ['incident.created']);
      // As if DNS now pointed elsewhere: the stored URL is changed under the API's checks.
      await t.app.storage.db
        .updateTable('webhook_subscriptions')
        .set({ url: 'http://169.254.169.254/latest' })
        .where('id', '=', sub.id)
        .execute();
      await t.post(t.ws('/incidents'), { title: 'Metadata bait', severity: 'Low' });
      const [entry] = await eventually('refused', async () => {
        const items = await log(sub.id, '?status=failed');
        return items.length > 0 ? items : undefined;
      });
      expect(entry.lastError).toMatch(/Refused to connect to 169\.254\.169\.254/);
      expect(entry.attempts).toBe(1);
    });

    it('test-sends a signed ping and reports the answer', async () => {
      const sub = await subscribe('Ping', '/ok/ping', ['incident.created']);
      const res = await t.post(t.ws(`/webhook-subscriptions/${sub.id}/test`));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ delivered: true, responseCode: 200, error: null });
      const [ping] = received('/ok/ping');
      expect((ping!.json as any).type).toBe('ping');
      expect(verifySignature(sub.secret, ping!.body, String(ping!.headers['x-vigil-signature']))).toBe(true);
    });

    it('sends playbookRun.finished when a run ends', async () => {
      await subscribe('Runs', '/ok/runs', ['playbookRun.finished']);
      const source =
        'name: Finisher\ntrigger: { type: manual, targets: [incident] }\nsteps:\n  - { id: note, uses: incident.addComment, with: { message: done } }\n';
      const playbook = await t.post(t.ws('/playbooks'), { source });
      expect(playbook.status, JSON.stringify(playbook.body)).toBe(201);
      const incident = await t.post(t.ws('/incidents'), { title: 'Run target', severity: 'Low' });
      const run = await t.post(t.ws(`/playbooks/${playbook.body.id}/runs`), { incident: incident.body.id });
      expect(run.status).toBe(202);
      const [finished] = await eventually('run finished', () =>
        received('/ok/runs').length > 0 ? received('/ok/runs') : undefined,
      );
      expect((finished!.json as any).run).toMatchObject({ id: run.body.id, status: 'succeeded', playbook: { name: 'Finisher' } });
    });

    it('keeps workspaces apart: an incident in another workspace reaches only that workspace’s subscription', async () => {
      await subscribe('Default only', '/ok/default-ws', ['incident.created']);
      const owner = await createUser(t, { name: 'Other Owner', role: null });
      expect((await t.post('/api/v1/workspaces', { id: 'other', name: 'Other', owner: { email: owner.email } })).status).toBe(
        201,
      );
      const record = await findUserById(t.app.storage.db, owner.id);
      const { token } = await t.app.services.auth.createToken(
        { user: record!, via: 'session' },
        { name: 'other', workspaceId: 'other', role: 'Owner' },
      );
      await subscribe('Other only', '/ok/other-ws', ['incident.created'], 'other', token);
      const made = await t.post(t.ws('/incidents', 'other'), { title: 'Other tenant', severity: 'Low' }, { token });
      expect(made.status).toBe(201);
      await eventually('other delivery', () => (received('/ok/other-ws').length > 0 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(received('/ok/default-ws')).toHaveLength(0);
    });
  });

  describe('the outbox', () => {
    it('is written in the change’s transaction only while there are subscribers', async () => {
      for (const item of (await t.get(t.ws('/webhook-subscriptions'))).body.items) {
        await t.delete(t.ws(`/webhook-subscriptions/${item.id}`));
      }
      // With no subscriber the gate says no: no event rows at all, even before the dispatcher runs.
      const count = async () =>
        Number(
          (
            await t.app.storage.db
              .selectFrom('deliveries')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      await t.post(t.ws('/incidents'), { title: 'Unheard', severity: 'Low' });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await count()).toBe(before);
      // A refused write raises no event either.
      await subscribe('After', '/ok/after', ['incident.created']);
      const bad = await t.post(t.ws('/incidents'), { title: '', severity: 'Low' });
      expect(bad.status).toBe(400);
      await t.post(t.ws('/incidents'), { title: 'Heard', severity: 'Low' });
      const [only] = await eventually('one delivery', () =>
        received('/ok/after').length > 0 ? received('/ok/after') : undefined,
      );
      expect((only!.json as any).incident.title).toBe('Heard');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received('/ok/after')).toHaveLength(1);
    });
  });
});

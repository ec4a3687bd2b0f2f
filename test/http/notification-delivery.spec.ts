import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_WINDOW_MS } from '../../src/notifications/index.js';
import { findUserById } from '../../src/users/user-repository.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../support/fakes/index.js';
import { alert, incidentBody } from '../support/fixtures.js';
import { createGroup, createUser } from '../support/people.js';
import { ADMIN_EMAIL, describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;

/** Polls `check` until it returns something truthy, for at most `timeoutMs`. */
async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeEachDialect('notification rules: emails', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  // The app's clock: real time, moved forward to end rate-limit windows.
  let offset = 0;
  const now = () => Date.now() + offset;

  const url = (ref?: string, ws = 'default') => t.ws(`/notification-rules${ref ? `/${ref}` : ''}`, ws);
  const mailsTo = (address: string): SinkMessage[] => sink.messages.filter((m) => m.envelope.to.includes(address));
  const subjectsTo = (address: string) => mailsTo(address).map((m) => m.subject);
  const link = (n: number, ws = 'default') => `http://vigil.test/w/${ws}/incidents/${n}`;

  async function rule(body: Json, token?: string, ws = 'default'): Promise<Json> {
    const res = await t.post(url(undefined, ws), body, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }
  const disable = async (...rules: Json[]) => {
    for (const r of rules) expect((await t.patch(url(r.id), { enabled: false })).status).toBe(200);
  };
  async function ingest(...alerts: Json[]): Promise<Json[]> {
    const res = await t.post(t.ws('/alerts'), { alerts });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.results;
  }
  /** The rule's whole delivery log, newest first. */
  async function log(ruleId: string, query = ''): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const res: Json = await t.get(`${url(ruleId)}/deliveries?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }
  const countBy = (items: Json[], key: string) =>
    items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [item[key]]: (acc[item[key]] ?? 0) + 1 }), {});

  /** Waits until every committed event was dispatched and every due email was attempted. */
  async function settled(): Promise<void> {
    const { db } = t.app.storage;
    await eventually(async () => {
      const outbox = await db
        .selectFrom('event_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      const due = await db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([eb('status', '=', 'sending'), eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now())])]),
        )
        .executeTakeFirst();
      return Number(outbox?.n) === 0 && Number(due?.n) === 0;
    }, 'the outbox and the due deliveries to drain');
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp(dialect, {
      deliveries: true,
      now,
      env: {
        SMTP_URL: `smtp://${sink.host}:${sink.port}`,
        SMTP_FROM: 'Vigil <vigil@example.test>',
        VIGIL_DELIVERY_RETRY_MS: '50',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  describe('which incidents are mailed', () => {
    it('a rule on High severity and one product mails on matching new incidents only (ingested or created), with a link', async () => {
      const product = 'Defender for Storage';
      const narrow = await rule({
        name: 'High and one product',
        triggers: { created: true },
        filters: { severities: ['High'], products: [product.toUpperCase()] },
        recipients: { addresses: ['narrow@example.test'] },
      });
      const broad = await rule({
        name: 'High from anywhere',
        triggers: { created: true },
        filters: { severities: ['High'] },
        recipients: { addresses: ['broad@example.test'] },
      });
      const [match] = await ingest(alert({ severity: 'High', productName: product, title: 'Blob exfiltration' }));
      await ingest(
        alert({ severity: 'Medium', productName: product, title: 'Too low' }),
        alert({ severity: 'High', productName: 'Another product', title: 'Other source' }),
      );
      const manualHigh = await t.post(t.ws('/incidents'), incidentBody({ title: 'Manual high', severity: 'High' }));
      const manualLow = await t.post(t.ws('/incidents'), incidentBody({ title: 'Manual low', severity: 'Low' }));
      expect([manualHigh.status, manualLow.status]).toEqual([201, 201]);
      await settled();

      const [mail] = mailsTo('narrow@example.test');
      expect(mailsTo('narrow@example.test')).toHaveLength(1);
      expect(mail!.subject).toMatch(new RegExp(`^\\[Vigil\\] New High incident #${match!.incidentNumber}: .*Blob exfiltration`));
      expect(mail!.from).toBe('vigil@example.test');
      expect(mail!.headers['auto-submitted']).toBe('auto-generated');
      expect(mail!.text).toContain(`Link: ${link(match!.incidentNumber)}`);
      expect(mail!.html).toContain(`href="${link(match!.incidentNumber)}"`);
      expect(mail!.text).toContain(`Products: ${product}`);

      const broadSubjects = subjectsTo('broad@example.test');
      expect(broadSubjects).toHaveLength(3);
      expect(broadSubjects.some((s) => s.includes('Other source'))).toBe(true);
      expect(broadSubjects.some((s) => s.includes(`#${manualHigh.body.number}: Manual high`))).toBe(true);
      expect(broadSubjects.some((s) => /Too low|Manual low/.test(s))).toBe(false);

      const entries = await log(narrow.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        ruleId: narrow.id,
        recipient: 'narrow@example.test',
        eventType: 'incident.created',
        incidentId: match!.incidentId,
        status: 'sent',
        attempts: 1,
        error: null,
      });
      expect(entries[0]!.subject).toBe(mail!.subject);
      expect(entries[0]!.sentAt).not.toBeNull();
      await disable(narrow, broad);
    });

    it('a host group filter matches a Host entity property or a hostGroup: tag; the summary lists alerts and entities', async () => {
      const r = await rule({
        name: 'Tier 0 hosts',
        triggers: { created: true },
        filters: { hostGroups: ['tier0'] },
        recipients: { addresses: ['tier0@example.test'] },
        includeSummary: true,
      });
      const [dc] = await ingest(
        alert({
          title: 'Credential dumping',
          severity: 'High',
          entities: [
            { kind: 'Host', hostName: 'dc01', MachineGroup: 'Tier0' },
            { kind: 'Account', accountName: 'admin', upnSuffix: 'contoso.com' },
          ],
        }),
      );
      await ingest(
        alert({ title: 'Workstation noise', entities: [{ kind: 'Host', hostName: 'pc7', hostGroup: 'Workstations' }] }),
      );
      const tagged = await t.post(t.ws('/incidents'), incidentBody({ title: 'Tagged by hand', tags: ['hostGroup:Tier0'] }));
      expect(tagged.status).toBe(201);
      await settled();
      const mails = mailsTo('tier0@example.test');
      expect(mails.map((m) => m.subject.replace(/^.*: /, '')).sort()).toEqual(
        ['Tagged by hand', expect.stringContaining('Credential dumping')].sort(),
      );
      const dcMail = mails.find((m) => m.subject.includes(`#${dc!.incidentNumber}:`))!;
      expect(dcMail.text).toContain('Alerts (latest 1 of 1):');
      expect(dcMail.text).toMatch(/- \[High\] Credential dumping — Microsoft Entra ID Protection/);
      expect(dcMail.text).toContain('- Host: dc01');
      expect(dcMail.text).toContain('- Account: admin@contoso.com');
      expect(dcMail.html).toContain('<li>Host: dc01</li>');
      await disable(r);
    });

    it("tenant isolation: a rule never mails for another workspace's incidents", async () => {
      expect(
        (await t.post('/api/v1/workspaces', { id: 'notify-b', name: 'Workspace B', owner: { email: ADMIN_EMAIL } })).status,
      ).toBe(201);
      const admin = (await findUserById(t.app.storage.db, t.adminId))!;
      const { token } = await t.app.services.auth.createToken(
        { user: admin, via: 'session' },
        { name: 'b', workspaceId: 'notify-b', role: 'Owner' },
      );
      const a = await rule({
        name: 'Everything in A',
        triggers: { created: true },
        recipients: { addresses: ['iso-a@example.test'] },
      });
      const b = await rule(
        { name: 'Everything in B', triggers: { created: true }, recipients: { addresses: ['iso-b@example.test'] } },
        token,
        'notify-b',
      );
      try {
        const inB = await t.post(t.ws('/incidents', 'notify-b'), incidentBody({ title: 'Only in B' }), { token });
        const inA = await t.post(t.ws('/incidents'), incidentBody({ title: 'Only in A' }));
        expect([inA.status, inB.status]).toEqual([201, 201]);
        await settled();
        expect(subjectsTo('iso-a@example.test')).toEqual([`[Vigil] New Medium incident #${inA.body.number}: Only in A`]);
        expect(subjectsTo('iso-b@example.test')).toEqual([`[Vigil] New Medium incident #${inB.body.number}: Only in B`]);
        expect(mailsTo('iso-b@example.test')[0]!.text).toContain(link(inB.body.number, 'notify-b'));
        expect(mailsTo('iso-b@example.test')[0]!.text).toContain('Workspace: Workspace B');
        expect((await log(a.id)).map((d) => d.incidentId)).toEqual([inA.body.id]);
      } finally {
        await disable(a);
        expect((await t.patch(url(b.id, 'notify-b'), { enabled: false }, { token })).status).toBe(200);
      }
    });
  });

  describe('update emails', () => {
    it('mails only the kinds of update the rule selects, to users, group members and addresses; disabled users are skipped', async () => {
      const grouping = await t.post(t.ws('/analytics-rules'), { name: 'Grouped detections', grouping: { mode: 'anyAlert' } });
      expect(grouping.status).toBe(201);
      const watcher = await createUser(t, { email: 'watcher@example.test', name: 'Wanda Watcher', role: 'Responder' });
      const teammate = await createUser(t, { email: 'teammate@example.test', role: 'Reader' });
      const leaver = await createUser(t, { email: 'leaver@example.test', role: 'Responder' });
      await createGroup(t, { name: 'Updates team', members: [teammate], role: 'Reader' });
      const r = await rule({
        name: 'Status, comments and alerts',
        triggers: { updates: ['status', 'comments', 'alerts'] },
        filters: { products: ['Update product'] },
        recipients: { users: [watcher.email, leaver.id], groups: ['Updates team'], addresses: ['updates@example.test'] },
      });
      // Disabled after the rule was saved: resolved (and skipped) when emails are sent.
      await t.app.storage.db.updateTable('users').set({ disabled: 1 }).where('id', '=', leaver.id).execute();

      const [first] = await ingest(
        alert({ productName: 'Update product', analyticsRuleName: 'Grouped detections', title: 'First alert' }),
      );
      const n = first!.incidentNumber as number;
      const incidentUrl = t.ws(`/incidents/${n}`);
      expect((await t.patch(incidentUrl, { owner: { email: watcher.email } })).status).toBe(200);
      expect((await t.patch(incidentUrl, { severity: 'High' })).status).toBe(200);
      await settled();
      expect(mailsTo('updates@example.test')).toHaveLength(0);

      expect((await t.patch(incidentUrl, { status: 'Active' })).status).toBe(200);
      const comment = await t.post(`${incidentUrl}/comments`, { message: 'Contained the <b>host</b>; see **EDR**' });
      expect(comment.status).toBe(201);
      const [second] = await ingest(
        alert({ productName: 'Update product', analyticsRuleName: 'Grouped detections', title: 'Second alert' }),
      );
      expect(second).toMatchObject({ outcome: 'grouped', incidentNumber: n });
      await settled();

      // Sent concurrently: found by subject, not by arrival order.
      const kinds = [`#${n} status Active: `, `#${n} new comment: `, `#${n} 1 new alert: `];
      for (const address of ['updates@example.test', 'watcher@example.test', 'teammate@example.test']) {
        const subjects = subjectsTo(address);
        expect(subjects, address).toHaveLength(3);
        for (const kind of kinds)
          expect(
            subjects.filter((s) => s.startsWith(`[Vigil] Incident ${kind}`)),
            `${address}: ${kind}`,
          ).toHaveLength(1);
      }
      expect(mailsTo('leaver@example.test')).toHaveLength(0);
      const mailOf = (kind: string) => mailsTo('updates@example.test').find((m) => m.subject.includes(kind))!;
      const [statusMail, commentMail, alertMail] = kinds.map(mailOf);
      expect(statusMail!.text).toContain('What changed (by Administrator');
      expect(statusMail!.text).toContain('- Status: New → Active');
      expect(statusMail!.text).toContain('Owner: Wanda Watcher');
      expect(commentMail!.text).toContain('Contained the <b>host</b>; see **EDR**');
      expect(commentMail!.html).toContain('Contained the &lt;b&gt;host&lt;/b&gt;; see **EDR**');
      expect(alertMail!.text).toContain('- 1 new alert: Second alert');
      for (const m of [statusMail, commentMail, alertMail]) expect(m!.text).toContain(link(n));
      // Mail clients thread an incident's emails.
      expect(new Set(mailsTo('updates@example.test').map((m) => m.headers.references)).size).toBe(1);
      expect(countBy(await log(r.id), 'status')).toEqual({ sent: 9 });
      await disable(r);
    });
  });

  describe('rate limit and digest', () => {
    let storm: Json;
    let results: Json[];

    it('an alert storm of 60 incidents: 10 emails at once, the other 50 folded into the digest, and logged so', async () => {
      storm = await rule({
        name: 'Storm',
        triggers: { created: true },
        filters: { products: ['Storm product'] },
        recipients: { addresses: ['storm@example.test'] },
      });
      results = await ingest(
        ...Array.from({ length: 60 }, (_, i) => alert({ productName: 'Storm product', title: `Storm alert ${i}` })),
      );
      expect(new Set(results.map((r) => r.incidentId)).size).toBe(60);
      await settled();
      expect(mailsTo('storm@example.test')).toHaveLength(10);

      const entries = await log(storm.id);
      expect(countBy(entries, 'status')).toEqual({ sent: 10, skipped: 50, pending: 1 });
      const digest = entries.find((d) => d.eventType === 'notification.digest')!;
      expect(digest).toMatchObject({ status: 'pending', recipient: 'storm@example.test', attempts: 0, incidentId: null });
      const skipped = entries.filter((d) => d.status === 'skipped');
      expect(skipped[0]!.note).toMatch(
        /^Rate limit: 10 emails to storm@example\.test from this rule since .*; folded into the digest sent at /,
      );
      expect(skipped[0]!.note).toContain(digest.nextAttemptAt);
      expect(
        Date.parse(digest.nextAttemptAt) - Date.parse(entries.find((d) => d.status === 'sent')!.createdAt),
      ).toBeLessThanOrEqual(RATE_WINDOW_MS);
      // Every incident is either mailed or folded, once.
      expect(new Set([...skipped, ...entries.filter((d) => d.status === 'sent')].map((d) => d.incidentId)).size).toBe(60);
    });

    it('the delivery log pages and filters by status', async () => {
      const first = await t.get(`${url(storm.id)}/deliveries?status=skipped&limit=20`);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(20);
      expect(first.body.items.every((d: Json) => d.status === 'skipped')).toBe(true);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const all = await log(storm.id, '&status=skipped');
      expect(all).toHaveLength(50);
      expect(new Set(all.map((d) => d.id)).size).toBe(50);
      expect(all.slice(0, 20).map((d) => d.id)).toEqual(first.body.items.map((d: Json) => d.id));
      expect(await log(storm.id, '&status=sent')).toHaveLength(10);
      expect((await t.get(`${url(storm.id)}/deliveries?status=lost`)).status).toBe(400);
      expect((await t.get(`${url(storm.id)}/deliveries?cursor=garbage`)).status).toBe(400);
    });

    it('at the end of the window one digest lists the 50 folded incidents; the next incident opens a new window', async () => {
      offset += RATE_WINDOW_MS + 1_000;
      const digest = await eventually(
        () => mailsTo('storm@example.test').find((m) => m.subject.startsWith('[Vigil] Digest')),
        'the digest email',
      );
      expect(digest.subject).toBe('[Vigil] Digest: 50 more notifications from rule "Storm"');
      const entries = await log(storm.id);
      const folded = new Set(entries.filter((d) => d.status === 'skipped').map((d) => d.incidentId));
      for (const r of results) {
        const listed = digest.text!.includes(`#${r.incidentNumber} [`);
        expect(listed, `incident #${r.incidentNumber}`).toBe(folded.has(r.incidentId));
        if (listed) expect(digest.text).toContain(link(r.incidentNumber));
      }
      expect(digest.html).toContain(`<a href="${link(results[59]!.incidentNumber)}">`);
      await eventually(async () => (await log(storm.id, '&status=sent')).length === 11, 'the digest to be logged as sent');

      const [next] = await ingest(alert({ productName: 'Storm product', title: 'After the storm' }));
      await settled();
      expect(mailsTo('storm@example.test')).toHaveLength(12);
      expect(subjectsTo('storm@example.test')[11]).toMatch(new RegExp(`#${next!.incidentNumber}: .*After the storm`));
      await disable(storm);
    });
  });

  describe('SMTP failures', () => {
    it('a server answering 451: the write succeeds, the email is retried and logged, and sent once the server recovers', async () => {
      const r = await rule({
        name: 'Flaky',
        triggers: { created: true },
        filters: { products: ['Flaky product'] },
        recipients: { addresses: ['flaky@example.test'] },
      });
      sink.failWith(451);
      try {
        const res = await t.post(t.ws('/alerts'), alert({ productName: 'Flaky product', title: 'While the server is down' }));
        expect(res.status).toBe(201);
        const retrying = await eventually(
          async () => (await log(r.id)).find((d) => d.status === 'pending' && d.attempts >= 2),
          'a second failed attempt',
        );
        expect(retrying.error).toMatch(/The SMTP server answered 451: 451 .*told to fail with 451/);
        expect(retrying.nextAttemptAt).not.toBeNull();
      } finally {
        sink.failWith(undefined);
      }
      await eventually(() => mailsTo('flaky@example.test').length === 1, 'the email after recovery');
      const [sent] = await eventually(async () => {
        const entries = await log(r.id);
        return entries[0]?.status === 'sent' ? entries : undefined;
      }, 'the delivery to be logged as sent');
      expect(sent!.attempts).toBeGreaterThanOrEqual(2);
      expect(sent!.error).toBeNull();
      expect(mailsTo('flaky@example.test')[0]!.subject).toContain('While the server is down');

      // A permanent refusal fails at once, with what the server said.
      sink.failWith(554);
      try {
        expect((await t.post(t.ws('/alerts'), alert({ productName: 'Flaky product', title: 'Refused' }))).status).toBe(201);
        const failed = await eventually(
          async () => (await log(r.id, '&status=failed'))[0],
          'the refused email to be logged as failed',
        );
        expect(failed).toMatchObject({ attempts: 1, status: 'failed' });
        expect(failed.error).toMatch(/The SMTP server answered 554/);
      } finally {
        sink.failWith(undefined);
      }
      await disable(r);
    });

    it('an email still waiting when its rule is disabled is skipped, not sent', async () => {
      const r = await rule({
        name: 'Switched off',
        triggers: { created: true },
        filters: { products: ['Switched product'] },
        recipients: { addresses: ['switched@example.test'] },
      });
      sink.failWith(451);
      try {
        expect((await t.post(t.ws('/alerts'), alert({ productName: 'Switched product' }))).status).toBe(201);
        await eventually(
          async () => (await log(r.id)).find((d) => d.attempts >= 1 && d.status === 'pending'),
          'a failed attempt',
        );
        await disable(r);
      } finally {
        sink.failWith(undefined);
      }
      const skipped = await eventually(async () => (await log(r.id, '&status=skipped'))[0], 'the delivery to be skipped');
      expect(skipped.note).toBe('The notification rule was disabled before the email was sent');
      expect(mailsTo('switched@example.test')).toHaveLength(0);
    });

    it('nothing listening on the SMTP port: the incident is created (201) and the email waits, retrying', async () => {
      const other = await startTestApp(dialect, {
        deliveries: true,
        env: { SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`, VIGIL_DELIVERY_RETRY_MS: '50' },
      });
      try {
        const made = await other.post(other.ws('/notification-rules'), {
          name: 'Unreachable',
          triggers: { created: true },
          recipients: { addresses: ['nobody-listens@example.test'] },
        });
        expect(made.status).toBe(201);
        const incident = await other.post(other.ws('/incidents'), incidentBody({ title: 'Created anyway' }));
        expect(incident.status).toBe(201);
        const attempt = await eventually(async () => {
          const res = await other.get(other.ws(`/notification-rules/${made.body.id}/deliveries`));
          return (res.body.items as Json[]).find((d) => d.error);
        }, 'a failed attempt');
        expect(attempt.error).toMatch(/Could not reach the SMTP server: .*ECONNREFUSED/);
        expect(['pending', 'sending', 'failed']).toContain(attempt.status);
      } finally {
        await other.close();
      }
    });
  });

  describe('test send', () => {
    it('sends a sample to each recipient now and reports each; disabled users are skipped; SMTP errors are reported', async () => {
      const tester = await createUser(t, { email: 'tester@example.test', role: 'Reader' });
      const gone = await createUser(t, { email: 'gone@example.test', role: 'Reader' });
      const r = await rule({
        name: 'Try me',
        enabled: false,
        triggers: { created: true },
        recipients: { users: [tester.email, gone.email], addresses: ['outside@example.test'] },
      });
      await t.app.storage.db.updateTable('users').set({ disabled: 1 }).where('id', '=', gone.id).execute();
      const res = await t.post(`${url(r.id)}/test`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.results).toEqual([
        { recipient: 'gone@example.test', status: 'skipped', error: 'the user is disabled' },
        { recipient: 'tester@example.test', status: 'sent', error: null },
        { recipient: 'outside@example.test', status: 'sent', error: null },
      ]);
      const [mail] = mailsTo('tester@example.test');
      expect(mail!.subject).toBe('[Vigil] Test of notification rule "Try me"');
      expect(mail!.text).toContain('This is a test of a notification rule');
      expect(mailsTo('outside@example.test')).toHaveLength(1);
      expect(await log(r.id)).toEqual([]);

      sink.failWith(554);
      try {
        const failing = await t.post(`${url(r.id)}/test`);
        expect(failing.body.results.find((x: Json) => x.recipient === 'outside@example.test')).toMatchObject({
          status: 'failed',
          error: expect.stringContaining('554'),
        });
      } finally {
        sink.failWith(undefined);
      }
    });
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/live/index.js';
import { findUserById } from '../../src/users/user-repository.js';
import { incidentBody } from '../support/fixtures.js';
import { userWithToken } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** An open server-sent event stream, parsed into named events as they arrive. */
interface EventStream {
  events: { event: string; data: unknown }[];
  /** Resolves when an event satisfying `match` has arrived (or fails after the timeout). */
  waitFor(match: (e: { event: string; data: unknown }) => boolean, timeoutMs?: number): Promise<{ event: string; data: unknown }>;
  close(): void;
}

async function openStream(baseUrl: string, token: string): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/live`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    events,
    async waitFor(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => controller.abort(),
  };
}

const incidentEvents = (stream: EventStream) =>
  stream.events.filter((e) => e.event === 'incidents').flatMap((e) => e.data as LiveEvent[]);

describeEachDialect('live updates (server-sent events)', (dialect) => {
  let t: TestApp;
  let baseUrl: string;
  let otherToken: string;
  /** How long before its commit a write's time is taken (a long ingest transaction's is taken at its start). */
  let writeLag = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect, { now: () => Date.now() - writeLag });
    await t.app.server.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    expect((await t.post('/api/v1/workspaces', { id: 'other', name: 'Other' })).status).toBe(201);
    const admin = (await findUserById(t.app.storage.db, t.adminId))!;
    otherToken = (
      await t.app.services.auth.createToken(
        { user: admin, via: 'session' },
        { name: 'other', workspaceId: 'other', role: 'Owner' },
      )
    ).token;
  });
  afterAll(async () => t?.close());

  it('refuses a caller without credentials', async () => {
    const response = await fetch(`${baseUrl}/api/v1/live`);
    expect(response.status).toBe(401);
  });

  it('streams a change stamped before the stream opened but committed after it, and none committed before', async () => {
    const before = await t.post(t.ws('/incidents'), incidentBody({ title: 'Committed before the stream' }));
    expect(before.status).toBe(201);
    const stream = await openStream(baseUrl, t.token);
    try {
      await stream.waitFor((e) => e.event === 'ready');
      writeLag = 2_000;
      const late = await t.post(t.ws('/incidents'), incidentBody({ title: 'Stamped before, committed after' }));
      expect(late.status).toBe(201);
      await stream.waitFor(() => incidentEvents(stream).some((l) => l.incidentId === late.body.id));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(incidentEvents(stream).some((l) => l.incidentId === before.body.id)).toBe(false);
    } finally {
      writeLag = 0;
      stream.close();
    }
  });

  it('streams a new incident, its changes and its tasks, with the incident number, once each', async () => {
    const stream = await openStream(baseUrl, t.token);
    try {
      const ready = await stream.waitFor((e) => e.event === 'ready');
      expect((ready.data as { workspaces: string[] }).workspaces).toContain('default');
      const created = await t.post(t.ws('/incidents'), incidentBody({ title: 'Live one' }));
      expect(created.status).toBe(201);
      await stream.waitFor(
        (e) => e.event === 'incidents' && (e.data as LiveEvent[]).some((l) => l.incidentId === created.body.id),
      );
      await t.patch(t.ws(`/incidents/${created.body.id}`), { severity: 'High' });
      await t.post(t.ws(`/incidents/${created.body.id}/tasks`), { title: 'Check the host' });
      await stream.waitFor(() => incidentEvents(stream).filter((l) => l.incidentId === created.body.id).length >= 3);
      // Let a few more polls pass: the overlap window must not repeat entries already sent.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const mine = incidentEvents(stream).filter((l) => l.incidentId === created.body.id);
      expect(mine.length).toBe(3);
      expect(mine.every((l) => l.workspace === 'default' && l.incidentNumber === created.body.number)).toBe(true);
      expect(mine.map((l) => l.action)).toEqual(['incidentCreated', 'incidentUpdated', 'taskAdded']);
    } finally {
      stream.close();
    }
  });

  it("never tells a member of one workspace about another workspace's incidents", async () => {
    const responder = await userWithToken(t, `Live${dialect}`, 'Responder');
    const stream = await openStream(baseUrl, responder.token);
    try {
      const ready = await stream.waitFor((e) => e.event === 'ready');
      expect((ready.data as { workspaces: string[] }).workspaces).toEqual(['default']);
      const hidden = await t.post(t.ws('/incidents', 'other'), incidentBody({ title: 'Elsewhere' }), { token: otherToken });
      expect(hidden.status).toBe(201);
      const visible = await t.post(t.ws('/incidents'), incidentBody({ title: 'Here' }));
      await stream.waitFor(
        (e) => e.event === 'incidents' && (e.data as LiveEvent[]).some((l) => l.incidentId === visible.body.id),
      );
      expect(incidentEvents(stream).some((l) => l.workspace === 'other' || l.incidentId === hidden.body.id)).toBe(false);
    } finally {
      stream.close();
    }
  });
});

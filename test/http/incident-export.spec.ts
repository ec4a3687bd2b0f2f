import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert, incidentBody } from '../support/fixtures.js';
import { createUser, tokenFor } from '../support/people.js';
import { ADMIN_EMAIL, describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;

const TITLE = 'Phishing wave Фишинг 東京';
const TASKS = ['Reset the password', 'Isolate FIN-LAPTOP-7', 'Notify Zoë Åkesson'];
const COMMENT = [
  '### Findings',
  '**Zoë Åkesson** confirmed: пароль сброшен; 密码已重置, ログイン and 로그인 차단 blocked.',
  '',
  '- Sender blocked',
  '- See [the ticket](https://tickets.example/42)',
].join('\n');
const NON_LATIN = ['Фишинг', '東京', 'Zoë Åkesson', 'пароль сброшен', '密码已重置', 'ログイン', '로그인 차단'];

/** The text of a PDF, whitespace collapsed (lines wrap where the layout decides). */
async function pdfText(content: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(content) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

describeEachDialect('incident PDF export', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-11-02T09:00:00Z');
  let incident: Json;
  let readerToken: string;

  const exportsUrl = (ref: string | number = incident.number, ws = 'default') => t.ws(`/incidents/${ref}/exports`, ws);
  const requestExport = (body: Json = {}, token?: string) => t.post(exportsUrl(), body, { token });
  /** Polls an export until it is no longer pending. */
  async function settled(id: string): Promise<Json> {
    for (let i = 0; i < 600; i++) {
      const res = await t.get(`${exportsUrl()}/${id}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      if (res.body.status !== 'pending') return res.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`export ${id} stayed pending`);
  }
  /** Downloads a file as bytes (the test client decodes bodies as text). */
  async function download(url: string) {
    const res = await t.app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.token}` } });
    return { status: res.statusCode, headers: res.headers, content: res.rawPayload, json: () => res.json() };
  }
  async function exportText(body: Json = {}): Promise<{ text: string; export: Json }> {
    const res = await requestExport(body);
    expect([200, 202], JSON.stringify(res.body)).toContain(res.status);
    const ready = await settled(res.body.id);
    expect(ready.status, ready.error).toBe('ready');
    const file = await download(ready.fileUrl);
    expect(file.status).toBe(200);
    return { text: await pdfText(file.content), export: ready };
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { now: () => (clock += 1) });
    const reader = await createUser(t, { name: 'Rudi Reader', role: 'Reader' });
    readerToken = await tokenFor(t, reader, 'Reader');
    const ingest = await t.post(t.ws('/alerts'), {
      alerts: [
        alert({
          title: 'Suspicious inbox rule',
          severity: 'High',
          tactics: ['Persistence'],
          entities: [
            { kind: 'Account', accountName: 'alice', upnSuffix: 'contoso.com' },
            { kind: 'Host', hostName: 'FIN-LAPTOP-7' },
            { kind: 'Ip', address: '203.0.113.9' },
          ],
        }),
        alert({
          title: 'Mail link clicked',
          tactics: ['InitialAccess'],
          entities: [{ kind: 'Url', url: 'https://evil.example/x' }],
        }),
      ],
    });
    expect(ingest.status, JSON.stringify(ingest.body)).toBe(201);
    const [first, second] = ingest.body.results as Json[];
    if (second!.incidentId !== first!.incidentId) {
      expect((await t.post(t.ws(`/incidents/${first!.incidentNumber}/alerts`), { alertId: second!.id })).status).toBe(200);
    }
    const patched = await t.patch(t.ws(`/incidents/${first!.incidentNumber}`), {
      title: TITLE,
      status: 'Active',
      owner: { email: ADMIN_EMAIL },
      addTags: ['finance'],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    incident = patched.body;
    for (const title of TASKS) {
      expect((await t.post(t.ws(`/incidents/${incident.number}/tasks`), { title })).status).toBe(201);
    }
    const tasks = (await t.get(t.ws(`/incidents/${incident.number}/tasks`))).body.items as Json[];
    const done = await t.patch(t.ws(`/incidents/${incident.number}/tasks/${tasks[0]!.id}`), { status: 'Completed' });
    expect(done.status).toBe(200);
    expect((await t.post(t.ws(`/incidents/${incident.number}/comments`), { message: COMMENT })).status).toBe(201);
  });
  afterAll(() => t.close());

  describe('a full export', () => {
    let text: string;
    let first: Json;

    beforeAll(async () => {
      const res = await requestExport();
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body).toMatchObject({ status: 'pending', incidentNumber: incident.number, fileUrl: null, error: null });
      expect(res.body.sections).toEqual(['overview', 'timeline', 'assets', 'evidence', 'tasks', 'alerts', 'activity']);
      expect(res.headers.location).toBe(`${exportsUrl()}/${res.body.id}`);
      first = await settled(res.body.id);
      expect(first.status, first.error).toBe('ready');
      const file = await download(first.fileUrl);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.headers['content-disposition']).toBe(`attachment; filename="incident-${incident.number}.pdf"`);
      expect(file.content.subarray(0, 5).toString()).toBe('%PDF-');
      expect(file.content.length).toBe(first.sizeBytes);
      text = await pdfText(file.content);
    });

    it('holds the incident, its tasks with who completed them, alerts, entities, comment and activity as text', () => {
      expect(first.pageCount).toBeGreaterThanOrEqual(2);
      for (const expected of [
        `#${incident.number}`,
        TITLE,
        'Severity: High',
        'Status: Active',
        ...TASKS,
        '1 of 3 tasks completed',
        'Suspicious inbox rule',
        'Mail link clicked',
        'Persistence',
        'InitialAccess',
        'FIN-LAPTOP-7',
        '203.0.113.9',
        'alice@contoso.com',
        'Findings',
        'Sender blocked',
        'the ticket (https://tickets.example/42)',
        'created the incident',
        'completed a task',
        'commented',
        'Impacted assets',
        'Evidence',
        'Related alerts',
        'Activity log and comments',
      ]) {
        expect(text, expected).toContain(expected);
      }
      // The tasks table: number, title, status, added by, completed by and when.
      expect(text).toMatch(/1 Reset the password Completed Administrator Administrator 2026-11-02 \d\d:\d\d UTC/);
      expect(text).toMatch(/2 Isolate FIN-LAPTOP-7 Open Administrator —/);
      expect(text).toContain(`Page 1 of ${first.pageCount}`);
      expect(text).toContain(`Page ${first.pageCount} of ${first.pageCount}`);
    });

    it('keeps accents, Cyrillic and CJK (Chinese, Japanese, Korean) verbatim', () => {
      for (const expected of NON_LATIN) expect(text, expected).toContain(expected);
    });

    it('takes a request without a body as "all sections"', async () => {
      const res = await t.request('POST', exportsUrl());
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(first.id);
    });

    it('lists the export for the incident', async () => {
      const res = await t.get(exportsUrl());
      expect(res.status).toBe(200);
      expect(res.body.items.map((e: Json) => e.id)).toContain(first.id);
    });

    it('returns the same export for the same request within minutes, to a Reader too', async () => {
      const again = await requestExport({}, readerToken);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: first.id, status: 'ready' });
      const reordered = await requestExport({
        sections: ['activity', 'alerts', 'tasks', 'evidence', 'assets', 'timeline', 'overview'],
      });
      expect(reordered.status).toBe(200);
      expect(reordered.body.id).toBe(first.id);
    });

    it('makes a new export once the incident changed', async () => {
      expect((await t.post(t.ws(`/incidents/${incident.number}/comments`), { message: 'Second look — всё чисто' })).status).toBe(
        201,
      );
      const res = await requestExport();
      expect(res.status).toBe(202);
      expect(res.body.id).not.toBe(first.id);
      const after = await settled(res.body.id);
      expect(await pdfText((await download(after.fileUrl)).content)).toContain('Second look — всё чисто');
    });

    it('makes a new export after the cache window, even without changes', async () => {
      const cached = await requestExport();
      expect(cached.status).toBe(200);
      clock += 6 * 60_000;
      const fresh = await requestExport();
      expect(fresh.status).toBe(202);
      expect(fresh.body.id).not.toBe(cached.body.id);
      expect((await settled(fresh.body.id)).status).toBe('ready');
    });
  });

  it('leaves out the sections not asked for', async () => {
    const { text, export: made } = await exportText({ sections: ['tasks', 'overview'] });
    expect(made.sections).toEqual(['overview', 'tasks']);
    expect(text).toContain(TITLE);
    for (const title of TASKS) expect(text).toContain(title);
    for (const absent of [
      'Related alerts',
      'Activity log',
      'Impacted assets',
      'Evidence',
      'Findings',
      'пароль сброшен',
      '203.0.113.9',
    ]) {
      expect(text, absent).not.toContain(absent);
    }
  });

  it('refuses unknown sections and oversized lists, naming the field', async () => {
    const unknown = await requestExport({ sections: ['overview', 'attack-story'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: 'sections[1]' })]);
    expect(unknown.body.error.details[0].message).toMatch(/must be one of overview, timeline.*attack-story/);
    const tooMany = await requestExport({ sections: Array(8).fill('overview') });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0]).toMatchObject({ path: 'sections', message: expect.stringMatching(/at most 7/) });
    expect((await requestExport({ sections: [] })).status).toBe(400);
    expect((await requestExport({ format: 'docx' })).status).toBe(400);
  });

  it('answers 404 for another workspace, an unknown export, or an export of another incident', async () => {
    const made = (await requestExport({ sections: ['overview'] })).body;
    const other = await t.post('/api/v1/workspaces', { id: 'export-other', name: 'Other', owner: { email: ADMIN_EMAIL } });
    expect(other.status).toBe(201);
    expect((await t.post(exportsUrl(incident.id, 'export-other'), {})).status).toBe(404);
    expect((await t.get(`${exportsUrl(incident.number, 'export-other')}/${made.id}`)).status).toBe(404);
    expect((await download(`${exportsUrl(incident.number, 'export-other')}/${made.id}/file`)).status).toBe(404);
    expect((await t.get(`${exportsUrl()}/no-such-export`)).status).toBe(404);
    const another = await t.post(t.ws('/incidents'), incidentBody({ title: 'Unrelated' }));
    expect((await t.get(`${exportsUrl(another.body.number)}/${made.id}`)).status).toBe(404);
    // The Reader of the default workspace has no role in the other one: the same 404.
    expect((await t.post(exportsUrl(incident.id, 'export-other'), {}, { token: readerToken })).status).toBe(404);
  });

  describe('generation in the background', () => {
    const exportsService = () => t.app.services.incidentExports;

    it('answers 409 for a download before the file is ready; a pending export left behind is made at the next start', async () => {
      await exportsService().stop();
      const res = await requestExport({ sections: ['overview', 'timeline'] });
      expect(res.status).toBe(202);
      const early = await download(`${exportsUrl()}/${res.body.id}/file`);
      expect(early.status).toBe(409);
      expect(early.json().error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/still being prepared/) });
      // As if a process had claimed it and died mid-render: its lease has lapsed.
      await t.app.storage.db
        .updateTable('incident_exports')
        .set({ attempts: 1, lease_until: clock - 1 })
        .where('id', '=', res.body.id)
        .execute();
      exportsService().start(t.app.logger);
      expect(await settled(res.body.id)).toMatchObject({ status: 'ready', sections: ['overview', 'timeline'] });
    });

    it('records failed with the reason when generation keeps being interrupted, and a new request starts over', async () => {
      await exportsService().stop();
      const res = await requestExport({ sections: ['overview', 'evidence'] });
      await t.app.storage.db
        .updateTable('incident_exports')
        .set({ attempts: 3, lease_until: clock - 1 })
        .where('id', '=', res.body.id)
        .execute();
      exportsService().start(t.app.logger);
      const failed = await settled(res.body.id);
      expect(failed).toMatchObject({ status: 'failed', fileUrl: null, error: expect.stringMatching(/interrupted 3 times/) });
      const file = await download(`${exportsUrl()}/${res.body.id}/file`);
      expect(file.status).toBe(409);
      expect(file.json().error.message).toMatch(/failed/);
      const retry = await requestExport({ sections: ['overview', 'evidence'] });
      expect(retry.status).toBe(202);
      expect((await settled(retry.body.id)).status).toBe('ready');
    });

    it('expires exports after 24 hours and deletes them', async () => {
      const made = await settled((await requestExport({ sections: ['tasks'] })).body.id);
      clock += 25 * 60 * 60_000;
      expect((await t.get(`${exportsUrl()}/${made.id}`)).status).toBe(404);
      expect((await download(made.fileUrl)).status).toBe(404);
      expect((await t.get(exportsUrl())).body.items).toEqual([]);
      await exportsService().stop();
      exportsService().start(t.app.logger);
      for (let i = 0; i < 100; i++) {
        const left = await t.app.storage.db.selectFrom('incident_exports').select('id').execute();
        if (left.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await t.app.storage.db.selectFrom('incident_exports').select('id').execute()).toEqual([]);
    });
  });
});

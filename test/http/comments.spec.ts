import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentBody } from '../support/fixtures.js';
import { userWithToken } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

describeEachDialect('comments', (dialect) => {
  let t: TestApp;
  let bob: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    bob = await userWithToken(t, 'Bob', 'Responder');
  });
  afterAll(() => t.close());

  async function newIncident(): Promise<{ id: string; number: number }> {
    const created = await t.post(t.ws('/incidents'), incidentBody());
    expect(created.status).toBe(201);
    return created.body;
  }
  const commentsOf = (n: number, query = '') => t.ws(`/incidents/${n}/comments${query}`);
  const commentCount = async (n: number) => (await t.get(t.ws(`/incidents/${n}`))).body.commentCount as number;
  const activityOf = async (n: number) =>
    (await t.get(t.ws(`/incidents/${n}/activity?kind=comments&limit=500`))).body.items as any[];

  describe('adding', () => {
    it('adds a comment: 201, markdown kept, author and time, counted, recorded in the activity log', async () => {
      const incident = await newIncident();
      const message = '**Contained** the host. See [runbook](https://wiki.example.com/runbook)';
      const res = await t.post(commentsOf(incident.number), { message });
      expect(res.status).toBe(201);
      expect(res.body.message).toBe(message);
      expect(res.body.incidentId).toBe(incident.id);
      expect(res.body.author).toMatchObject({ type: 'user', id: t.adminId });
      expect(Date.parse(res.body.createdAt)).not.toBeNaN();
      expect(res.body.editedAt).toBeNull();
      expect(res.headers.etag).toBe(res.body.etag);
      expect(res.body.html).toContain('<strong>Contained</strong>');
      expect(res.body.html).toMatch(/<a [^>]*href="https:\/\/wiki\.example\.com\/runbook"/);
      expect(await commentCount(incident.number)).toBe(1);
      const entries = await activityOf(incident.number);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'commentAdded', kind: 'comment', comment: { id: res.body.id, message } });
    });

    it('renders html safely: no scripts, javascript: links or event handlers; links and images survive', async () => {
      const incident = await newIncident();
      const message = [
        '<script>alert(1)</script>',
        '[click](javascript:alert(1))',
        '<a href="javascript:alert(2)">raw</a>',
        '<img src="x" onerror="alert(3)">',
        '![shot](https://img.example.com/a.png)',
        '![bad](https://img.example.com/b.png" onerror="alert(4))',
        '[docs](https://docs.example.com/x) and https://auto.example.com/y',
      ].join('\n\n');
      const res = await t.post(commentsOf(incident.number), { message });
      expect(res.status).toBe(201);
      const html: string = res.body.html;
      expect(res.body.message).toBe(message);
      expect(html).not.toMatch(/<script/i);
      // Raw HTML is shown as escaped text; no real tag carries a javascript: URL or an event handler.
      expect(html).not.toMatch(/<[a-z][^>]*=\s*["']?\s*javascript:/i);
      expect(html).not.toMatch(/<[a-z][^>]*\son\w+\s*=/i);
      expect(html).toContain('&lt;script&gt;');
      expect(html).toMatch(/<img [^>]*src="https:\/\/img\.example\.com\/a\.png"/);
      expect(html).toMatch(/<a [^>]*href="https:\/\/docs\.example\.com\/x"/);
      expect(html).toMatch(/<a [^>]*href="https:\/\/auto\.example\.com\/y"/);
      // The same safe rendering in the comment list and the activity log.
      const listed = await t.get(commentsOf(incident.number));
      expect(listed.body.items[0].html).toBe(html);
      const [entry] = await activityOf(incident.number);
      expect(entry.comment.html).toBe(html);
    });

    it('refuses an empty or whitespace-only message with 400 and writes nothing', async () => {
      const incident = await newIncident();
      for (const body of [{ message: '' }, { message: '   \n ' }, {}]) {
        const res = await t.post(commentsOf(incident.number), body);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_input');
        expect(res.body.error.message).toMatch(/message/);
      }
      expect(await commentCount(incident.number)).toBe(0);
      expect((await t.get(commentsOf(incident.number))).body.items).toHaveLength(0);
    });

    it('accepts 30,000 characters and rejects 30,001 with 413 naming the limit, writing nothing', async () => {
      const incident = await newIncident();
      const ok = await t.post(commentsOf(incident.number), { message: 'a'.repeat(30_000) });
      expect(ok.status).toBe(201);
      expect(ok.body.message).toHaveLength(30_000);
      const tooLong = await t.post(commentsOf(incident.number), { message: 'b'.repeat(30_001) });
      expect(tooLong.status).toBe(413);
      expect(tooLong.body.error.code).toBe('limit_exceeded');
      expect(tooLong.body.error.message).toMatch(/30,?000/);
      expect(await commentCount(incident.number)).toBe(1);
      const listed = await t.get(commentsOf(incident.number));
      expect(listed.body.items).toHaveLength(1);
      expect(listed.body.items[0].message[0]).toBe('a');
      expect(await activityOf(incident.number)).toHaveLength(1);
    });

    it('refuses the 101st comment with a message naming 100', async () => {
      const incident = await newIncident();
      for (let i = 1; i <= 100; i += 1) {
        const res = await t.post(commentsOf(incident.number), { message: `note ${i}` });
        expect(res.status).toBe(201);
      }
      const refused = await t.post(commentsOf(incident.number), { message: 'one too many' });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.body.error.message).toMatch(/\b100\b/);
      expect(await commentCount(incident.number)).toBe(100);
      const newest = await t.get(commentsOf(incident.number, '?limit=1'));
      expect(newest.body.items[0].message).toBe('note 100');
    });

    it('answers 404 for an unknown incident', async () => {
      const res = await t.post(commentsOf(999_999), { message: 'hello' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });
  });

  describe('listing', () => {
    it('lists newest first with cursor paging', async () => {
      const incident = await newIncident();
      for (let i = 1; i <= 5; i += 1) expect((await t.post(commentsOf(incident.number), { message: `c${i}` })).status).toBe(201);
      const all = await t.get(commentsOf(incident.number));
      expect(all.body.items.map((c: any) => c.message)).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
      expect(all.body.nextCursor).toBeNull();

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await t.get(commentsOf(incident.number, query));
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((c: any) => c.message));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
    });
  });

  describe('editing and deleting', () => {
    it('lets the author edit; the edit is recorded with from/to', async () => {
      const incident = await newIncident();
      const added = await t.post(commentsOf(incident.number), { message: 'first draft' });
      const edited = await t.patch(
        commentsOf(incident.number, `/${added.body.id}`),
        { message: 'final text' },
        { headers: { 'if-match': added.body.etag } },
      );
      expect(edited.status).toBe(200);
      expect(edited.body.message).toBe('final text');
      expect(edited.body.editedAt).not.toBeNull();
      expect(edited.body.etag).not.toBe(added.body.etag);
      const listed = await t.get(commentsOf(incident.number));
      expect(listed.body.items).toHaveLength(1);
      expect(listed.body.items[0].message).toBe('final text');
      const entries = await activityOf(incident.number);
      const edit = entries.find((e) => e.action === 'commentEdited');
      expect(edit).toBeDefined();
      expect(edit.actor).toMatchObject({ type: 'user', id: t.adminId });
      expect(edit.changes).toEqual([{ field: 'message', from: 'first draft', to: 'final text' }]);
      expect(entries[0].action).toBe('commentEdited');
    });

    it('answers 412 to a stale If-Match and keeps the comment', async () => {
      const incident = await newIncident();
      const added = await t.post(commentsOf(incident.number), { message: 'v1' });
      const url = commentsOf(incident.number, `/${added.body.id}`);
      expect((await t.patch(url, { message: 'v2' }, { headers: { 'if-match': added.body.etag } })).status).toBe(200);
      const stale = await t.patch(url, { message: 'v3' }, { headers: { 'if-match': added.body.etag } });
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('precondition_failed');
      expect((await t.get(commentsOf(incident.number))).body.items[0].message).toBe('v2');
    });

    it('refuses an empty edit with 400', async () => {
      const incident = await newIncident();
      const added = await t.post(commentsOf(incident.number), { message: 'keep me' });
      const res = await t.patch(commentsOf(incident.number, `/${added.body.id}`), { message: ' ' });
      expect(res.status).toBe(400);
      expect((await t.get(commentsOf(incident.number))).body.items[0].message).toBe('keep me');
    });

    it('refuses edits and deletes by another user with 403', async () => {
      const incident = await newIncident();
      const added = await t.post(commentsOf(incident.number), { message: 'mine' });
      const url = commentsOf(incident.number, `/${added.body.id}`);
      const edit = await t.patch(url, { message: 'hijacked' }, { token: bob.token });
      expect(edit.status).toBe(403);
      expect(edit.body.error.code).toBe('forbidden');
      const del = await t.delete(url, { token: bob.token });
      expect(del.status).toBe(403);
      const listed = await t.get(commentsOf(incident.number));
      expect(listed.body.items.map((c: any) => c.message)).toEqual(['mine']);
      expect(await commentCount(incident.number)).toBe(1);
      // Bob can comment and edit his own.
      const his = await t.post(commentsOf(incident.number), { message: 'bob here' }, { token: bob.token });
      expect(his.status).toBe(201);
      expect(his.body.author).toMatchObject({ type: 'user', id: bob.id, name: 'Bob' });
      expect(
        (await t.patch(commentsOf(incident.number, `/${his.body.id}`), { message: 'bob edited' }, { token: bob.token })).status,
      ).toBe(200);
    });

    it('lets the author delete: comment gone, count decremented, deletion recorded', async () => {
      const incident = await newIncident();
      const keep = await t.post(commentsOf(incident.number), { message: 'stays' });
      const gone = await t.post(commentsOf(incident.number), { message: 'goes' });
      expect(await commentCount(incident.number)).toBe(2);
      const del = await t.delete(commentsOf(incident.number, `/${gone.body.id}`));
      expect(del.status).toBe(204);
      expect(await commentCount(incident.number)).toBe(1);
      const listed = await t.get(commentsOf(incident.number));
      expect(listed.body.items.map((c: any) => c.id)).toEqual([keep.body.id]);
      const entries = await activityOf(incident.number);
      expect(entries[0]).toMatchObject({ action: 'commentDeleted', kind: 'comment', actor: { type: 'user', id: t.adminId } });
      expect(entries[0].comment).toMatchObject({ id: gone.body.id, message: null, html: null });
      const again = await t.delete(commentsOf(incident.number, `/${gone.body.id}`));
      expect(again.status).toBe(404);
      expect(await commentCount(incident.number)).toBe(1);
    });
  });
});

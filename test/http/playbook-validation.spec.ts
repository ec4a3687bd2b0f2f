import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** One definition with one problem of each kind; the comments give the line each is reported on. */
const BROKEN = `name: Broken
trigger: { type: manual, targets: [incident] }
connections: { vt: no-such-connection }
descripton: a typo
steps:
  - id: typo
    uses: incident.addComent
  - id: missing
    uses: incident.addComment
    with: {}
  - id: nowhere
    uses: incident.addComment
    with: { message: "\${{ steps.ghost.output }}" }
  - id: early
    uses: incident.addComment
    with: { message: "\${{ steps.late.output.comment }}" }
  - id: late
    uses: incident.addComment
    with: { message: 42 }
  - wait: { duration: 5 fortnights }
  - id: late
    uses: incident.get
  - id: lookup
    uses: virustotal.ipReport
    connection: vtt
    with: { ip: 8.8.8.8 }
`;

/** Every problem of BROKEN, in document order: path, line and what the message must say. */
const EXPECTED: [path: string, line: number, says: string][] = [
  ['connections.vt', 3, 'there is no connection named "no-such-connection" in this workspace'],
  ['descripton', 4, 'unknown field "descripton" (did you mean "description"?)'],
  ['steps[0].uses', 7, 'there is no action "incident.addComent" (did you mean "incident.addComment"?)'],
  ['steps[1].with', 10, 'incident.addComment needs the input "message"'],
  ['steps[2].with.message', 13, 'no step has the id "ghost"'],
  ['steps[3].with.message', 16, 'step "late" comes later (steps[4]); a step can only read steps before it'],
  ['steps[4].with.message', 19, 'must be text, not 42'],
  ['steps[5].wait.duration', 20, '"5 fortnights" is not a duration'],
  ['steps[6].id', 21, 'the id "late" is already used by steps[4]'],
  ['steps[7].connection', 25, 'the connection "vtt" is not declared under connections (did you mean "vt"?)'],
];

const valid = (name: string, extra = '') =>
  `name: ${name}\ntrigger: incident\n${extra}steps:\n  - id: inc\n    uses: incident.get\n`;

/** Uses the virustotal connection named `connection` through the alias vt. */
const usingVt = (name: string, connection: string) => `name: ${name}
trigger: { type: manual, targets: [incident] }
connections: { vt: ${connection} }
steps:
  - id: report
    uses: virustotal.ipReport
    connection: vt
    with: { ip: 8.8.8.8 }
`;

describeEachDialect('playbook validation: every problem by path and line, nothing saved, no enabling', (dialect) => {
  let t: TestApp;
  const url = (ref = '') => t.ws(`/playbooks${ref && `/${encodeURIComponent(ref)}`}`);
  const listed = async () => (await t.get(url())).body.items.map((p: { name: string }) => p.name);
  const validate = async (body: unknown) => {
    const res = await t.post(url('validate'), body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { valid: boolean; problems: { path: string; message: string; line?: number }[] };
  };
  const connection = async (name: string, connector: string, secrets: Record<string, string>) => {
    const res = await t.post(t.ws('/connections'), { name, connector, secrets });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t?.close());

  describe('POST /playbooks/validate and create', () => {
    it('reports every problem with its path, line and a suggestion where one is close, in document order', async () => {
      const result = await validate({ source: BROKEN });
      expect(result.valid).toBe(false);
      expect(result.problems.map((p) => [p.path, p.line])).toEqual(EXPECTED.map(([path, line]) => [path, line]));
      EXPECTED.forEach(([path, , says], i) => expect(result.problems[i]!.message, path).toContain(says));
    });

    it('refuses to create it with the same problems (400) and saves nothing', async () => {
      const res = await t.post(url(), { source: BROKEN });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.message).toContain('10 problem(s)');
      expect(res.body.error.details.map((p: { path: string }) => p.path)).toEqual(EXPECTED.map(([path]) => path));
      expect(await listed()).toEqual([]);
      expect(await t.app.storage.db.selectFrom('playbook_versions').select('version').execute()).toEqual([]);
    });

    it('gives paths without lines for a definition object, and lines for JSON text', async () => {
      const definition = {
        name: 'Object',
        trigger: 'incident',
        steps: [{ id: 'a', uses: 'incident.addTask', with: { title: 7 } }],
      };
      const fromObject = await validate({ definition });
      expect(fromObject.problems).toEqual([{ path: 'steps[0].with.title', message: 'must be text, not 7' }]);
      const fromText = await validate({ source: JSON.stringify(definition, null, 2) });
      expect(fromText.problems).toEqual([{ path: 'steps[0].with.title', message: 'must be text, not 7', line: 9 }]);
    });

    it('checks types only where they are known: an expression may stand for any value', async () => {
      const source = `name: Typed\ntrigger: incident\nsteps:
  - id: inc
    uses: incident.get
  - id: task
    uses: incident.addTask
    with: { title: "\${{ steps.inc.output.incident.number }}" }
  - id: comment
    uses: incident.addComment
    with: { message: [not, text] }
`;
      const result = await validate({ source });
      expect(result.problems).toEqual([{ path: 'steps[2].with.message', message: 'must be text, not a list', line: 11 }]);
    });

    it('refuses a schedule with an invalid cron or time zone, and a missing trigger and steps', async () => {
      const cron = await validate({
        source:
          "name: C\ntrigger: { type: schedule, cron: '61 * * * *', timezone: Mars/Olympus }\nsteps: [ { set: { a: 1 } } ]\n",
      });
      expect(cron.problems.map((p) => p.path)).toEqual(['trigger.cron', 'trigger.timezone']);
      expect(cron.problems[0]!.message).toContain('"61 * * * *" is not a valid cron');
      expect(cron.problems[1]!.message).toContain('"Mars/Olympus" is not a known IANA time zone');
      const fields = await validate({
        source: "name: C\ntrigger: { type: schedule, cron: 'every day' }\nsteps: [ { set: { a: 1 } } ]\n",
      });
      expect(fields.problems[0]!.message).toContain('has 2 fields; a cron has 5');
      const empty = await validate({ definition: { name: 'Empty' } });
      expect(empty.problems).toEqual([
        { path: 'trigger', message: 'is required' },
        { path: 'steps', message: 'is required' },
      ]);
    });

    it('refuses an action that needs a connection on a step without one, and a connection of another connector', async () => {
      await connection('chat', 'slack', { webhookUrl: 'https://hooks.slack.example/services/T0/B0/x' });
      const none = await validate({
        source: 'name: N\ntrigger: incident\nsteps:\n  - id: r\n    uses: virustotal.ipReport\n    with: { ip: 8.8.8.8 }\n',
      });
      expect(none.problems).toEqual([
        {
          path: 'steps[0]',
          line: 4,
          message: 'virustotal.ipReport needs a connection: add connection: with one of an alias declared under connections',
        },
      ]);
      const wrong = await validate({ source: usingVt('Wrong kind', 'chat') });
      expect(wrong.problems).toEqual([
        { path: 'steps[0].connection', line: 7, message: 'connection "chat" is a slack connection; this step needs virustotal' },
      ]);
    });

    it('refuses an edit with problems and keeps the saved version', async () => {
      const made = await t.post(url(), { source: valid('Kept') });
      expect(made.status).toBe(201);
      const res = await t.request('PUT', url('Kept'), { source: valid('Kept', 'bogus: true\n') });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'bogus', message: 'unknown field "bogus"', line: 3 }]);
      expect((await t.get(url('Kept'))).body).toMatchObject({ version: 1, source: valid('Kept') });
    });
  });

  describe('size limit', () => {
    it('refuses a source over 256 KB, as text or as a definition object, naming the limit; nothing saved', async () => {
      const before = await listed();
      const description = 'x'.repeat(257 * 1024);
      const text = await t.post(url(), { source: valid('Huge', `description: ${description}\n`) });
      expect(text.status).toBe(400);
      expect(text.body.error.message).toContain('256 KB');
      const object = await t.post(url(), {
        definition: { name: 'Huge', description, trigger: 'incident', steps: [{ set: { a: 1 } }] },
      });
      expect(object.status).toBe(400);
      expect(object.body.error.details).toEqual([
        { path: '', message: expect.stringContaining('at most 256 KB are allowed (the size limit)') },
      ]);
      const checked = await validate({ definition: { name: 'Huge', description, trigger: 'incident', steps: [] } });
      expect(checked.problems[0]!.message).toContain('256 KB');
      expect(await listed()).toEqual(before);
    });
  });

  describe('a playbook that no longer validates cannot be enabled', () => {
    it('refuses to enable it while its connection is missing or of another connector (422 naming the problem), then allows it', async () => {
      await connection('reputation', 'virustotal', { apiKey: 'vt-key' });
      const made = await t.post(url(), { source: usingVt('Enrich', 'reputation') });
      expect(made.status).toBe(201);
      expect((await t.patch(url('Enrich'), { enabled: false })).status).toBe(200);
      expect((await t.delete(t.ws('/connections/reputation'))).status).toBe(204);

      const missing = await t.patch(url('Enrich'), { enabled: true });
      expect(missing.status).toBe(422);
      expect(missing.body.error.code).toBe('rule_violation');
      expect(missing.body.error.message).toContain('connections.vt: there is no connection named "reputation"');
      expect(missing.body.error.details).toEqual([
        { path: 'connections.vt', line: 3, message: 'there is no connection named "reputation" in this workspace' },
      ]);
      expect((await t.get(url('Enrich'))).body.enabled).toBe(false);

      await connection('reputation', 'slack', { webhookUrl: 'https://hooks.slack.example/services/T0/B0/y' });
      const wrong = await t.patch(url('Enrich'), { enabled: true });
      expect(wrong.status).toBe(422);
      expect(wrong.body.error.message).toContain('is a slack connection; this step needs virustotal');

      expect((await t.delete(t.ws('/connections/reputation'))).status).toBe(204);
      await connection('Reputation', 'virustotal', { apiKey: 'vt-key' });
      const enabled = await t.patch(url('Enrich'), { enabled: true });
      expect(enabled.status).toBe(200);
      expect(enabled.body.enabled).toBe(true);
    });

    it('still allows disabling it', async () => {
      await connection('gone-soon', 'virustotal', { apiKey: 'k' });
      expect((await t.post(url(), { source: usingVt('Orphan', 'gone-soon') })).status).toBe(201);
      await t.patch(url('Orphan'), { enabled: false });
      await t.delete(t.ws('/connections/gone-soon'));
      const again = await t.patch(url('Orphan'), { enabled: false });
      expect(again.status).toBe(200);
      expect(again.body.enabled).toBe(false);
    });
  });
});

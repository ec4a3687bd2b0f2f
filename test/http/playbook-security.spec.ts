import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startEchoServer, startGraphFake, type EchoServer, type GraphFake } from '../support/fakes/index.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';
import { FAIL_AT_RUN, REFUSED_AT_SAVE, setting } from './playbook-security-cases.js';

/**
 * Scenario 6: hostile playbooks. Expressions that try to pollute prototypes, reach constructors,
 * loop forever or build huge values fail cleanly (refused at save, or the run fails naming the
 * limit); requests to loopback and cloud metadata addresses are refused unless allowlisted; and
 * connection secrets and generated passwords never show in API responses or run records.
 */

const TOKEN = 'bearer-secret-7f3a9c1e5d';
const ACTIVE = ['queued', 'running', 'waiting'];

/** A manual playbook of http.request steps (`with` of each), optionally through a connection. */
const requesting = (name: string, steps: Record<string, unknown>[], connection?: string) => ({
  name,
  trigger: { type: 'manual', targets: ['incident'] },
  ...(connection ? { connections: { api: connection } } : {}),
  steps: steps.map((w, i) => ({
    id: `call${i + 1}`,
    uses: 'http.request',
    ...(connection ? { connection: 'api' } : {}),
    with: w,
  })),
});

describeEachDialect('scenario 6: hostile playbooks', (dialect) => {
  let t: TestApp;
  let echo: EchoServer;
  let graph: GraphFake;
  let incidentId: string;

  const create = async (app: TestApp, definition: object) => {
    const res = await app.post(app.ws('/playbooks'), { definition });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  /** Creates the playbook, runs it on the incident and waits (bounded) until the run has finished. */
  const runOf = async (definition: object, app = t) => {
    const { id } = await create(app, definition);
    const incident = app === t ? incidentId : (await app.post(app.ws('/incidents'), { title: 'Other', severity: 'Low' })).body.id;
    const started = await app.post(app.ws(`/playbooks/${id}/runs`), { incident });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    for (const deadline = Date.now() + 10_000; ;) {
      const run = await app.get(app.ws(`/runs/${started.body.id}`));
      if (!ACTIVE.includes(run.body.status)) return run.body;
      if (Date.now() > deadline) throw new Error('the run did not finish within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const connection = async (name: string, connector: string, settings: object, secrets: object = {}) => {
    const res = await t.post(t.ws('/connections'), { name, connector, settings, secrets });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const received = (path: string) => echo.requests.filter((r) => r.path === path);

  beforeAll(async () => {
    echo = await startEchoServer();
    graph = await startGraphFake();
    // No VIGIL_EGRESS_ALLOWLIST: internal addresses are reachable only through a connection's allowlist.
    t = await startTestApp(dialect, { worker: true });
    incidentId = (await t.post(t.ws('/incidents'), { title: 'Hostile target', severity: 'High' })).body.id;
    await connection('local-echo', 'http', { baseUrl: echo.url, allowlist: ['127.0.0.1'] });
    await connection('intranet-only', 'http', { allowlist: ['10.0.0.0/8', 'intranet.example'] });
    const bearer = { baseUrl: echo.url, auth: 'bearer', allowlist: ['127.0.0.1'] };
    await connection('secret-api', 'http', bearer, { token: TOKEN });
  });
  afterAll(async () => {
    await t?.close();
    await echo?.close();
    await graph?.close();
  });

  describe('hostile expressions', () => {
    it.each(REFUSED_AT_SAVE)('refuses %s when the playbook is saved, naming the step field', async (what, expression, says) => {
      const res = await t.post(t.ws('/playbooks'), { definition: setting(`Refused: ${what}`, expression) });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'steps[0].set.x', message: expect.stringContaining(says) }]);
    });

    it.each(FAIL_AT_RUN)(
      'fails the run on %s with a message naming the limit, in bounded time',
      async (what, expression, says) => {
        const began = Date.now();
        const run = await runOf(setting(`Fails: ${what}`, expression));
        expect(run.status).toBe('failed');
        expect(run.message).toMatch(says);
        expect(run.steps[0]).toMatchObject({ id: 'probe', status: 'failed', error: expect.stringMatching(says) });
        expect(Date.now() - began).toBeLessThan(5_000);
      },
    );

    it('matches a regular expression that backtracks catastrophically elsewhere in linear time', async () => {
      const began = Date.now();
      const run = await runOf(setting('Evil regex', `$contains("${'a'.repeat(40)}!", /(a|a)*$/) and $contains("ABA", /b/i)`));
      expect(run).toMatchObject({ status: 'succeeded', steps: [{ output: { x: true } }] });
      expect(Date.now() - began).toBeLessThan(2_000);
    });

    it('refuses a forEach over more items than a run may loop over', async () => {
      const run = await runOf({
        ...setting('Long loop', '1'),
        steps: [{ forEach: '${{ [1..50000] }}', steps: [{ set: { i: '${{ item }}' } }] }],
      });
      expect(run.status).toBe('failed');
      expect(run.message).toContain('forEach has 50000 items; a run may loop over at most 10000');
    });

    it('leaves no trace in the process: Object.prototype is untouched here and in later runs', async () => {
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
      const probe = '{ "keys": $keys($merge([{}, {"a": 1}, {"b": 2}])), "polluted": $exists({}.polluted) }';
      const run = await runOf(setting('Probe', probe));
      expect(run.status).toBe('succeeded');
      expect(run.steps[0].output).toEqual({ x: { keys: ['a', 'b'], polluted: false } });
    });

    it('fails a step whose response is many MB, naming the size limit', async () => {
      const run = await runOf(requesting('Huge body', [{ url: '/bytes/3000000', maxResponseBytes: 10_000_000 }], 'local-echo'));
      expect(run.status).toBe('failed');
      expect(run.message).toMatch(/the output of step call1 is \d+ bytes; the limit is 1048576 bytes/);
      const capped = await runOf(requesting('Capped body', [{ url: '/bytes/3000000', maxResponseBytes: 100_000 }], 'local-echo'));
      expect(capped.message).toMatch(/100000 bytes/);
    });
  });

  describe('SSRF', () => {
    const INTERNAL = (port: number): [string, RegExp][] => [
      [`http://127.0.0.1:${port}/internal`, /Refused to connect to 127\.0\.0\.1, port \d+: .*loopback/],
      [`http://localhost:${port}/internal`, /Refused to connect to localhost/],
      [`http://2130706433:${port}/internal`, /Refused to connect to 127\.0\.0\.1/],
      [`http://[::ffff:127.0.0.1]:${port}/internal`, /Refused to connect to .*IPv6 form of a loopback/],
      ['http://169.254.169.254/latest/meta-data/', /Refused to connect to 169\.254\.169\.254, port 80: .*link-local/],
      [
        'http://metadata.google.internal/computeMetadata/v1/',
        /Refused to connect to metadata\.google\.internal.*: (local or )?cloud metadata/,
      ],
    ];

    it('refuses loopback and cloud metadata addresses without an allowlist, before sending anything', async () => {
      for (const [url, says] of INTERNAL(echo.port)) {
        const run = await runOf(requesting(`SSRF ${url}`, [{ url }]));
        expect(run.status, url).toBe('failed');
        expect(run.message, url).toMatch(says);
        expect(run.message, url).toContain("to the connection's allowlist setting");
      }
      expect(received('/internal')).toEqual([]);
    });

    it('refuses them through a connection whose allowlist does not name them', async () => {
      for (const [url, says] of INTERNAL(echo.port)) {
        const run = await runOf(requesting(`SSRF via intranet ${url}`, [{ url }], 'intranet-only'));
        expect(run.message, url).toMatch(says);
      }
      expect(received('/internal')).toEqual([]);
    });

    it("allows what the connection's allowlist names, and still refuses a redirect from there to metadata", async () => {
      const run = await runOf(requesting('Allowed', [{ url: '/allowed' }], 'local-echo'));
      expect(run.status, run.message).toBe('succeeded');
      expect(received('/allowed')).toHaveLength(1);
      const to = encodeURIComponent('http://169.254.169.254/latest/meta-data/');
      const redirected = await runOf(requesting('Redirected', [{ url: `/redirect?to=${to}` }], 'local-echo'));
      expect(redirected.message).toMatch(/Refused to connect to 169\.254\.169\.254/);
    });

    it('allows what VIGIL_EGRESS_ALLOWLIST names, server-wide, and nothing more', async () => {
      const open = await startTestApp(dialect, { worker: true, env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1' } });
      try {
        const run = await runOf(requesting('Server allowlist', [{ url: `${echo.url}/server-wide` }]), open);
        expect(run.status, run.message).toBe('succeeded');
        expect(received('/server-wide')).toHaveLength(1);
        const metadata = await runOf(requesting('Metadata', [{ url: 'http://169.254.169.254/latest/meta-data/' }]), open);
        expect(metadata.message).toMatch(/Refused to connect to 169\.254\.169\.254/);
      } finally {
        await open.close();
      }
    });
  });

  describe('secrets', () => {
    it("keeps a connection's secret out of every API response and the run's records, while using it", async () => {
      const pb = requesting(
        'Uses a secret',
        [
          { url: '/reflect' },
          { method: 'POST', url: '/again', body: { seen: '${{ steps.call1.output.body.headers.authorization }}' } },
        ],
        'secret-api',
      );
      const run = await runOf(pb);
      expect(run.status, run.message).toBe('succeeded');
      expect(received('/reflect')[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(run.steps[0].output.body.headers.authorization).toBe('Bearer [redacted]');
      expect(run.steps[1].input.body).toEqual({ seen: 'Bearer [redacted]' });

      const playbookId = run.playbook.id;
      for (const path of [
        '/connections',
        '/connections/secret-api',
        '/playbooks',
        `/playbooks/${playbookId}`,
        `/playbooks/${playbookId}/versions`,
        '/runs',
        `/playbooks/${playbookId}/runs`,
        `/runs/${run.id}`,
      ]) {
        const res = await t.get(t.ws(path));
        expect(res.status, path).toBe(200);
        expect(JSON.stringify(res.body), path).not.toContain(TOKEN);
      }
      expect((await t.get(t.ws('/connections/secret-api'))).body.secrets).toEqual(['token']);
      const db = t.app.storage.db;
      const stored = [
        await db.selectFrom('playbook_run_steps').selectAll().where('run_id', '=', run.id).execute(),
        await db.selectFrom('playbook_runs').selectAll().where('id', '=', run.id).execute(),
        await db.selectFrom('connections').selectAll().execute(),
      ];
      expect(JSON.stringify(stored)).not.toContain(TOKEN);
    });

    it('keeps a secret that a service reflects in an error, or that an expression transforms, out of the run', async () => {
      echo.replyOnce(json(401, { error: `the token Bearer ${TOKEN} has expired` }));
      const failed = await runOf(requesting('Reflected error', [{ url: '/deny' }], 'secret-api'));
      expect(failed.status).toBe('failed');
      expect(failed.message).toContain('answered HTTP 401');
      expect(JSON.stringify(failed)).not.toContain(TOKEN);
      const transformed = await runOf({
        ...requesting('Transformed', [{ url: '/reflect' }], 'secret-api'),
        steps: [
          { id: 'call1', uses: 'http.request', connection: 'api', with: { url: '/reflect' } },
          {
            id: 'upper',
            set: { t: '${{ $uppercase(steps.call1.output.body.headers.authorization) }}', c: '${{ connections }}' },
          },
        ],
      });
      expect(transformed.status, transformed.message).toBe('succeeded');
      expect(JSON.stringify(transformed).toLowerCase()).not.toContain(TOKEN.toLowerCase());
    });

    it("redacts identity.resetPassword's generated password and the client secret from the run", async () => {
      const settings = {
        tenantId: graph.tenantId,
        clientId: graph.clientId,
        baseUrl: graph.url,
        loginUrl: graph.url,
        allowlist: ['127.0.0.1'],
      };
      await connection('idp', 'identity', settings, { clientSecret: graph.clientSecret });
      const run = await runOf({
        name: 'Reset and hand over',
        trigger: { type: 'manual', targets: ['incident'] },
        connections: { idp: 'idp', echo: 'local-echo' },
        steps: [
          {
            id: 'reset',
            uses: 'identity.resetPassword',
            connection: 'idp',
            with: { user: 'alice@contoso.com', returnPassword: true },
          },
          {
            id: 'handover',
            uses: 'http.request',
            connection: 'echo',
            with: { method: 'POST', url: '/handover', body: { pw: '${{ steps.reset.output.password }}' } },
          },
          { id: 'keep', set: { pw: '${{ steps.reset.output.password }}' } },
        ],
      });
      expect(run.status, run.message).toBe('succeeded');
      const password = [...graph.users.values()].find((u) => u.userPrincipalName === 'alice@contoso.com')!.passwordProfile!
        .password;
      expect(password.length).toBeGreaterThanOrEqual(12);
      expect(received('/handover')[0]!.json).toEqual({ pw: password });
      expect(run.steps.map((s: { output: unknown }) => s.output)).toMatchObject([
        { password: '[redacted]' },
        { body: { json: { pw: '[redacted]' } } },
        { pw: '[redacted]' },
      ]);
      expect(run.steps[1].input.body).toEqual({ pw: '[redacted]' });
      const text = JSON.stringify(run);
      expect(text).not.toContain(password);
      expect(text).not.toContain(graph.clientSecret);
      const rows = await t.app.storage.db.selectFrom('playbook_run_steps').selectAll().where('run_id', '=', run.id).execute();
      expect(JSON.stringify(rows)).not.toContain(password);
    });
  });
});

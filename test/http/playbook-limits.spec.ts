import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from '../support/fakes/index.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** Every step of a run's step tree, depth first. */
const flatten = (steps: any[]): any[] => steps.flatMap((s) => [s, ...flatten(s.children)]);

describeEachDialect('playbook run limits', (dialect) => {
  let t: TestApp;
  let echo: EchoServer;
  let incidentId: string;
  let n = 0;

  /** Creates a manual incident playbook (limits and steps as YAML) and runs it to its end (bounded, 20 s). */
  async function run(steps: string, limits = '') {
    const source = `name: Limits ${(n += 1)}\ntrigger: { type: manual, targets: [incident] }\n${limits}steps:\n${steps}`;
    const playbook = await t.post(t.ws('/playbooks'), { source });
    expect(playbook.status, JSON.stringify(playbook.body)).toBe(201);
    const started = await t.post(t.ws(`/playbooks/${playbook.body.id}/runs`), { incident: incidentId });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    for (let i = 0; i < 200; i++) {
      const got = await t.get(t.ws(`/runs/${started.body.id}`));
      if (!['queued', 'running', 'waiting'].includes(got.body.status)) return { ...got.body, all: flatten(got.body.steps) };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${started.body.id} did not finish within 20 s`);
  }
  const byKey = (r: { all: any[] }, key: string) => r.all.find((s) => s.key === key);

  beforeAll(async () => {
    echo = await startEchoServer();
    t = await startTestApp(dialect, { worker: true, env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1' } });
    incidentId = (await t.post(t.ws('/incidents'), { title: 'Limits target', severity: 'Low' })).body.id;
  });
  afterAll(async () => {
    await t?.close();
    await echo?.close();
  });

  it('fails a run past its maxSteps, naming the limit, without starting the step over the limit', async () => {
    const r = await run(
      `  - id: each\n    forEach: \${{ [1..30] }}\n    steps:\n      - { id: note, set: { last: "\${{ item }}" } }\n`,
      'limits: { maxSteps: 12 }\n',
    );
    expect(r.status).toBe('failed');
    expect(r.message).toBe('the run executed more than 12 steps, its limit');
    // The forEach itself is one step: 11 iterations ran, the 12th was refused.
    expect(r.stepsExecuted).toBe(13);
    expect(byKey(r, 'each').children.filter((c: any) => c.status === 'succeeded')).toHaveLength(11);
    expect(byKey(r, 'each[11].note')).toBeUndefined();
    expect(byKey(r, 'each')).toMatchObject({ status: 'failed', input: { items: expect.any(Array) } });
  });

  it('a definition cannot raise the server limit on steps: a higher maxSteps still stops at 10,000', async () => {
    const r = await run(
      `  - id: outer\n    forEach: \${{ [1..101] }}\n    steps:\n      - id: inner\n        forEach: \${{ [1..99] }}\n        steps: [ { id: s, set: { x: 1 } } ]\n`,
      'limits: { maxSteps: 1000000 }\n',
    );
    expect(r.status).toBe('failed');
    expect(r.message).toBe('the run executed more than 10000 steps, its limit');
  });

  it('fails a forEach over more items than a run may loop over, before any iteration', async () => {
    const r = await run(`  - id: each\n    forEach: \${{ [1..10001] }}\n    steps:\n      - { id: note, set: { x: 1 } }\n`);
    expect(r.status).toBe('failed');
    expect(r.message).toBe('each: forEach has 10001 items; a run may loop over at most 10000');
    expect(byKey(r, 'each')).toMatchObject({ status: 'failed', children: [] });
  });

  it('fails a run that takes longer than its time limit, interrupting the action in flight', async () => {
    const started = Date.now();
    const r = await run(
      `  - { id: slow, uses: http.request, with: { url: "${echo.url}/delay/10000" } }\n  - { id: after, set: { reached: true } }\n`,
      'limits: { timeout: 1s }\n',
    );
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(r.status).toBe('failed');
    expect(r.message).toBe('the run took longer than its time limit of 1s');
    expect(byKey(r, 'slow').status).toBe('failed');
    expect(byKey(r, 'after')).toBeUndefined();
  });

  it('does not count waits against the time limit', async () => {
    const r = await run(
      `  - { id: pause, wait: { duration: 2500ms } }\n  - { id: after, set: { reached: true } }\n`,
      'limits: { timeout: 2s }\n',
    );
    expect(r.status, r.message).toBe('succeeded');
    expect(r.attempts).toBe(2);
  });

  it('fails a step whose output is larger than a step may carry, with the sizes', async () => {
    const r = await run(
      `  - id: big\n    uses: http.request\n    with: { url: "${echo.url}/bytes/1100000" }\n  - { id: after, set: { reached: true } }\n`,
    );
    expect(r.status).toBe('failed');
    expect(byKey(r, 'big')).toMatchObject({
      status: 'failed',
      output: null,
      error: expect.stringMatching(/^the output of step big is \d+ bytes; the limit is 1048576 bytes$/),
    });
    expect(r.message).toMatch(/^big: the output of step big is 1100\d{3} bytes; the limit is 1048576 bytes$/);
    expect(byKey(r, 'after')).toBeUndefined();
  });

  it('fails a step whose rendered input is too large, before it runs', async () => {
    const before = echo.requests.length;
    const r = await run(
      `  - id: big
    uses: http.request
    with:
      method: POST
      url: "${echo.url}/"
      body: ["\${{ $pad('', 600000, 'x') }}", "\${{ $pad('', 600000, 'y') }}"]
`,
    );
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/^big: the input of step big is 1200\d{3} bytes; the limit is 1048576 bytes$/);
    expect(echo.requests.length).toBe(before);
  });

  it('a timeout on a control step fails it when its steps take too long; the steps after it in there do not run', async () => {
    const started = Date.now();
    const r = await run(
      `  - id: guarded
    timeout: 300ms
    continueOnError: true
    scope:
      - { id: pause, wait: { duration: 1500ms } }
      - { id: late, uses: incident.addComment, with: { message: too late } }
  - { id: after, set: { error: "\${{ steps.guarded.error }}" } }
`,
    );
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(r.status, r.message).toBe('succeeded');
    expect(byKey(r, 'guarded')).toMatchObject({ status: 'failed', error: 'step guarded timed out after 300 ms' });
    expect(byKey(r, 'after').output).toEqual({ error: 'step guarded timed out after 300 ms' });
    expect(byKey(r, 'pause')).toMatchObject({ status: 'failed', error: 'step guarded timed out after 300 ms' });
    expect(byKey(r, 'late')).toBeUndefined();
    expect((await t.get(t.ws(`/incidents/${incidentId}/comments`))).body.items).toEqual([]);
  });
});

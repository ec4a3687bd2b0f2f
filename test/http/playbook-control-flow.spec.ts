import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startFakeServer, type FakeServer } from '../support/fakes/index.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** Every step of a run's step tree, depth first. */
const flatten = (steps: any[]): any[] => steps.flatMap((s) => [s, ...flatten(s.children)]);

/**
 * A scripted service for http.request steps: `/flaky/{key}/{n}` answers 503 to the first n
 * requests for a key, then 200; `/slow/{ms}` answers after a delay and counts how many requests
 * were in flight at once; `/status/{code}` answers that status; `/delay/{ms}` answers late.
 */
async function startScriptedService() {
  const seen = new Map<string, number>();
  const load = { active: 0, max: 0 };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
  const server = await startFakeServer(async (request) => {
    const [, kind, arg, count] = request.path.split('/');
    if (kind === 'flaky') {
      const n = (seen.get(arg!) ?? 0) + 1;
      seen.set(arg!, n);
      return n <= Number(count) ? json(503, { error: `attempt ${n} failed` }) : json(200, { attempt: n });
    }
    if (kind === 'slow') {
      load.max = Math.max(load.max, (load.active += 1));
      await sleep(Number(arg));
      load.active -= 1;
      return json(200, { item: request.query.item });
    }
    if (kind === 'status') return json(Number(arg), { error: `the service answered ${arg}` });
    if (kind === 'delay') await sleep(Number(arg));
    return json(200, { ok: true });
  });
  return { server, load };
}

describeEachDialect('playbook control flow and per-step options', (dialect) => {
  let t: TestApp;
  let service: { server: FakeServer; load: { active: number; max: number } };
  let incidentId: string;
  let n = 0;

  /** Creates a manual incident playbook from the steps (YAML, indented by two), declaring the inputs, and runs it to its end. */
  async function run(steps: string, inputs: Record<string, string | boolean> = {}) {
    const declared = Object.entries(inputs).map(([name, value]) => `${name}: { type: ${typeof value} }`);
    const source = `name: Flow ${(n += 1)}\ntrigger: { type: manual, targets: [incident] }\ninputs: { ${declared.join(', ')} }\nsteps:\n${steps}`;
    const playbook = await t.post(t.ws('/playbooks'), { source });
    expect(playbook.status, JSON.stringify(playbook.body)).toBe(201);
    const started = await t.post(t.ws(`/playbooks/${playbook.body.id}/runs`), { incident: incidentId, inputs });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    for (let i = 0; i < 100; i++) {
      const got = await t.get(t.ws(`/runs/${started.body.id}`));
      if (!['queued', 'running', 'waiting'].includes(got.body.status)) return { ...got.body, all: flatten(got.body.steps) };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${started.body.id} did not finish within 10 s`);
  }
  const byKey = (r: { all: any[] }, key: string) => r.all.find((s) => s.key === key);
  const url = (path: string) => `${service.server.url}${path}`;

  beforeAll(async () => {
    service = await startScriptedService();
    t = await startTestApp(dialect, { worker: true, env: { VIGIL_EGRESS_ALLOWLIST: '127.0.0.1' } });
    incidentId = (await t.post(t.ws('/incidents'), { title: 'Control flow target', severity: 'High' })).body.id;
  });
  afterAll(async () => {
    await t?.close();
    await service?.server.close();
  });

  describe('branches', () => {
    const ifSteps = `  - if: \${{ inputs.flag }}
    then:
      - set: { path: then }
    else:
      - set: { path: else }
  - id: after
    set: { seen: "\${{ vars.path }}" }
`;
    it('if runs then when the condition holds and else when it does not; a later step reads the variable it set', async () => {
      const yes = await run(ifSteps, { flag: true });
      const no = await run(ifSteps, { flag: false });
      expect(yes.status).toBe('succeeded');
      expect(byKey(yes, 'after').output).toEqual({ seen: 'then' });
      expect(byKey(no, 'after').output).toEqual({ seen: 'else' });
      const branch = yes.steps.find((s: any) => s.kind === 'if');
      expect(branch).toMatchObject({ status: 'succeeded', output: { branch: 'then' } });
      expect(branch.children.map((c: any) => c.kind)).toEqual(['set']);
    });

    it('switch runs the matching case, or default when none matches', async () => {
      const steps = `  - id: pick
    switch: \${{ inputs.level }}
    cases:
      High: [ { set: { chosen: high } } ]
      Low: [ { set: { chosen: low } } ]
    default: [ { set: { chosen: other } } ]
  - id: after
    set: { chosen: "\${{ vars.chosen }}" }
`;
      const high = await run(steps, { level: 'High' });
      const other = await run(steps, { level: 'Medium' });
      expect(byKey(high, 'after').output).toEqual({ chosen: 'high' });
      expect(byKey(high, 'pick').output).toEqual({ value: 'High', case: 'High' });
      expect(byKey(other, 'after').output).toEqual({ chosen: 'other' });
      expect(byKey(other, 'pick').output).toEqual({ value: 'Medium', case: null });
    });
  });

  describe('loops and parallel branches', () => {
    it('forEach runs its steps per item of an expression list, at most `concurrency` at once, each iteration in the tree', async () => {
      service.load.max = 0;
      const r = await run(`  - id: list
    set: { items: [a, b, c, d, e] }
  - id: each
    forEach: \${{ vars.items }}
    as: name
    concurrency: 2
    steps:
      - id: call
        uses: http.request
        with: { url: "${url('/slow/150')}", query: { item: "\${{ name }}" } }
`);
      expect(r.status, r.message).toBe('succeeded');
      expect(service.load.max).toBe(2);
      const loop = byKey(r, 'each');
      expect(loop.input).toEqual({ items: ['a', 'b', 'c', 'd', 'e'] });
      expect(loop.children.map((c: any) => [c.key, c.iteration, c.status])).toEqual(
        ['a', 'b', 'c', 'd', 'e'].map((_, i) => [`each[${i}].call`, i, 'succeeded']),
      );
      expect(loop.children.map((c: any) => c.output.body.item).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(loop.output.map((o: any) => o.call.body.item)).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('a failing iteration fails the forEach (its items still shown); items not started do not run', async () => {
      const r = await run(`  - id: each
    forEach: [/delay/1, /status/400, /delay/1]
    steps: [ { id: call, uses: http.request, with: { url: "${url('')}\${{ item }}" } } ]
`);
      expect([r.status, r.message]).toEqual(['failed', expect.stringMatching(/^call: .*400/)]);
      expect(byKey(r, 'each')).toMatchObject({ status: 'failed', input: { items: ['/delay/1', '/status/400', '/delay/1'] } });
      expect(byKey(r, 'each').children.map((c: any) => [c.key, c.status])).toEqual([
        ['each[0].call', 'succeeded'],
        ['each[1].call', 'failed'],
      ]);
    });

    it('parallel runs every branch, each at the same time', async () => {
      service.load.max = 0;
      const r = await run(`  - id: both
    parallel:
      - steps: [ { id: left, uses: http.request, with: { url: "${url('/slow/200')}", query: { item: left } } } ]
      - steps: [ { id: right, uses: http.request, with: { url: "${url('/slow/200')}", query: { item: right } } } ]
`);
      expect(r.status, r.message).toBe('succeeded');
      expect(service.load.max).toBe(2);
      expect(byKey(r, 'both').children.map((c: any) => [c.id, c.status])).toEqual(
        expect.arrayContaining([
          ['left', 'succeeded'],
          ['right', 'succeeded'],
        ]),
      );
      expect(byKey(r, 'both').output).toEqual([{ left: expect.any(Object) }, { right: expect.any(Object) }]);
    });
  });

  describe('scope, stop and wait', () => {
    it('scope runs onFailure with the error readable and always; the run goes on', async () => {
      const r = await run(`  - id: guarded
    scope:
      - id: call
        uses: http.request
        with: { url: "${url('/status/400')}" }
      - id: never
        set: { reached: true }
    onFailure:
      - id: caught
        set: { failedStep: "\${{ error.step }}", message: "\${{ error.message }}" }
    always:
      - id: cleanup
        set: { cleaned: true }
  - id: after
    set: { cleaned: "\${{ vars.cleaned }}", failedStep: "\${{ vars.failedStep }}" }
`);
      expect(r.status, r.message).toBe('succeeded');
      expect(byKey(r, 'caught').output.failedStep).toBe('call');
      expect(byKey(r, 'caught').output.message).toMatch(/call: .*400/);
      expect(byKey(r, 'after').output).toEqual({ cleaned: true, failedStep: 'call' });
      expect(byKey(r, 'never')).toBeUndefined();
      expect(byKey(r, 'call')).toMatchObject({ status: 'failed', error: expect.stringMatching(/400/) });
      expect(byKey(r, 'guarded').output).toMatchObject({ failed: true, error: { step: 'call' } });
    });

    it('scope without onFailure still runs always, then the run fails', async () => {
      const r = await run(`  - scope:
      - id: call
        uses: http.request
        with: { url: "${url('/status/400')}" }
    always:
      - id: cleanup
        set: { cleaned: true }
`);
      expect(r.status).toBe('failed');
      expect(r.message).toMatch(/^call: .*400/);
      expect(byKey(r, 'cleanup')).toMatchObject({ status: 'succeeded', output: { cleaned: true } });
    });

    it('stop ends the run as succeeded or failed with its message; later steps do not run', async () => {
      const steps = (status: string) => `  - stop: { status: ${status}, message: "stopped: \${{ inputs.how }}" }
  - id: later
    set: { reached: true }
`;
      const fine = await run(steps('succeeded'), { how: 'succeeded' });
      const bad = await run(steps('failed'), { how: 'failed' });
      expect([fine.status, fine.message]).toEqual(['succeeded', 'stopped: succeeded']);
      expect([bad.status, bad.message]).toEqual(['failed', 'stopped: failed']);
      expect(byKey(fine, 'later')).toBeUndefined();
    });

    it('wait with a short duration pauses the run, then it goes on', async () => {
      const r = await run(`  - id: pause
    wait: { duration: 400ms }
  - id: after
    set: { done: true }
`);
      expect(r.status).toBe('succeeded');
      const pause = byKey(r, 'pause');
      expect(pause.durationMs).toBeGreaterThanOrEqual(390);
      expect(Date.parse(pause.output.waitedUntil)).toBeGreaterThanOrEqual(Date.parse(pause.startedAt) + 400);
      expect(Date.parse(byKey(r, 'after').startedAt)).toBeGreaterThanOrEqual(Date.parse(pause.output.waitedUntil));
    });
  });

  describe('per-step options', () => {
    it('retry with backoff: two failures then success is one succeeded step with 3 attempts', async () => {
      const r = await run(`  - id: call
    uses: http.request
    with: { url: "${url(`/flaky/retry${dialect}/2`)}" }
    retry: { count: 3, backoff: { initial: 50ms, factor: 2 } }
`);
      expect(r.status, r.message).toBe('succeeded');
      expect(byKey(r, 'call')).toMatchObject({ status: 'succeeded', attempts: 3, output: { status: 200, body: { attempt: 3 } } });
      expect(byKey(r, 'call').durationMs).toBeGreaterThanOrEqual(150);
    });

    it('retry gives up after its count: the step fails with the last error and its attempts', async () => {
      const r = await run(`  - id: call
    uses: http.request
    with: { url: "${url(`/flaky/giveup${dialect}/5`)}" }
    retry: { count: 1, backoff: { initial: 10ms } }
`);
      expect(r.status).toBe('failed');
      expect(byKey(r, 'call')).toMatchObject({ status: 'failed', attempts: 2, error: expect.stringMatching(/503/) });
    });

    it('timeout fails a step that hangs, with a message naming the timeout', async () => {
      const started = Date.now();
      const r = await run(`  - id: call
    uses: http.request
    with: { url: "${url('/delay/20000')}" }
    timeout: 300ms
`);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(r.status).toBe('failed');
      expect(byKey(r, 'call')).toMatchObject({ status: 'failed', error: expect.stringMatching(/timed out after 300 ms/) });
      expect(r.message).toMatch(/call: .*timed out/);
    });

    it('continueOnError: the run goes on and a later step reads the error', async () => {
      const r = await run(`  - id: bad
    uses: http.request
    with: { url: "${url('/status/404')}" }
    continueOnError: true
  - id: after
    set: { status: "\${{ steps.bad.status }}", error: "\${{ steps.bad.error }}" }
`);
      expect(r.status, r.message).toBe('succeeded');
      expect(byKey(r, 'bad')).toMatchObject({ status: 'failed', error: expect.stringMatching(/404/) });
      expect(byKey(r, 'after').output).toEqual({ status: 'failed', error: byKey(r, 'bad').error });
    });
  });
});

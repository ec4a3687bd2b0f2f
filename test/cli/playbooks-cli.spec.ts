import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { runCli, spawnCli } from '../support/cli.js';
import { freePort } from '../support/processes.js';

const RUN_ID = /^[0-9a-f-]{36}$/;

const DEMO = `name: CLI demo
trigger: { type: manual, targets: [incident] }
inputs:
  count: { type: number, default: 2 }
  loud: { type: boolean, default: false }
steps:
  - id: inc
    uses: incident.get
  - id: each
    forEach: "\${{ [1..inputs.count] }}"
    steps:
      - id: note
        set: { last: "\${{ item }}" }
  - id: comment
    uses: incident.addComment
    with: { message: "Seen \${{ steps.inc.output.incident.title }} (loud: \${{ inputs.loud }})" }
`;

const FAILING = `name: Always fails
trigger: { type: manual, targets: [incident] }
steps:
  - stop: { status: failed, message: nothing to do here }
`;

const BROKEN = `name: Broken
trigger: { type: manual, targets: [incident] }
connections: { vt: reputation }
steps:
  - id: typo
    uses: incident.addComent
  - id: early
    uses: incident.addComment
    with: { message: "\${{ steps.ghost.output }}" }
`;

describe('vigil playbooks (local database)', { timeout: 120_000 }, () => {
  let dir: string;
  let dataDir: string;
  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    return at;
  };

  const run = (args: string[], env: Record<string, string> = {}, input = '') =>
    runCli(args, { DATA_DIR: dataDir, ...env }, input);
  const ok = async (args: string[]) => {
    const res = await run(args);
    expect(res.stderr, `vigil ${args.join(' ')}`).toBe('');
    expect(res.code, `vigil ${args.join(' ')}`).toBe(0);
    return res.stdout;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-playbooks-cli-'));
    dataDir = path.join(dir, 'data');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('validate (offline)', () => {
    it('says a valid file is valid, without a database (none is created, an unreachable one is not contacted)', async () => {
      const demo = file('demo.yaml', DEMO);
      const res = await run(['playbooks', 'validate', demo], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect(res).toMatchObject({ code: 0, stderr: '' });
      expect(res.stdout).toBe(`${demo}: valid (checked offline: connection names were not looked up)\n`);
      expect(fs.existsSync(dataDir)).toBe(false);
    });

    it('prints each problem as file:line: path: message and exits 1; --json gives them as data; "-" reads stdin', async () => {
      const broken = file('broken.yaml', BROKEN);
      const res = await run(['playbooks', 'validate', broken, file('demo.yaml', DEMO)]);
      expect(res.code).toBe(1);
      expect(res.stdout.split('\n')).toEqual([
        `${broken}:6: steps[0].uses: there is no action "incident.addComent" (did you mean "incident.addComment"?)`,
        `${broken}:9: steps[1].with.message: reads steps.ghost, but no step has the id "ghost"`,
        `${broken}: 2 problem(s)`,
        expect.stringMatching(/demo\.yaml: valid/),
        '',
      ]);
      const json = JSON.parse((await run(['--json', 'playbooks', 'validate', '-'], {}, BROKEN)).stdout);
      expect(json.offline).toBe(true);
      expect(json.files[0]).toMatchObject({ file: 'stdin', valid: false });
      expect(json.files[0].problems.map((p: { path: string; line: number }) => [p.path, p.line])).toEqual([
        ['steps[0].uses', 6],
        ['steps[1].with.message', 9],
      ]);
    });
  });

  describe('on the local database', () => {
    let demoRun: string;

    beforeAll(async () => {
      await ok(['migrate']);
      const ingest = await run(['ingest', '-'], {}, JSON.stringify(alert({ title: 'Impossible travel for alice' })));
      expect(ingest.code, ingest.stderr).toBe(0);
    }, 120_000);

    it('apply creates playbooks (version 1), leaves an unchanged one alone, and saves an edit as a new version', async () => {
      const demo = file('demo.yaml', DEMO);
      const failing = file('failing.yaml', FAILING);
      expect(await ok(['playbooks', 'apply', demo, failing])).toBe(
        `created   CLI demo (version 1)  [${demo}]\ncreated   Always fails (version 1)  [${failing}]\n`,
      );
      expect(await ok(['playbooks', 'apply', demo])).toBe(`unchanged CLI demo (version 1)  [${demo}]\n`);
      file('demo.yaml', DEMO.replace('default: 2', 'default: 3'));
      expect(await ok(['playbooks', 'apply', demo])).toBe(`updated   CLI demo (version 2)  [${demo}]\n`);
      file('demo.yaml', DEMO);
      const json = JSON.parse(await ok(['--json', 'playbooks', 'apply', demo]));
      expect(json.files).toEqual([{ file: demo, name: 'CLI demo', action: 'updated', version: 3 }]);
    });

    it('apply lists the problems of a file the server refuses (with lines), applies the others, and exits 1', async () => {
      const broken = file('broken.yaml', BROKEN);
      const res = await run(['playbooks', 'apply', broken, file('demo.yaml', DEMO)]);
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(`${broken}: not applied, 3 problem(s):`);
      expect(res.stdout).toContain(`  ${broken}:3: connections.vt: there is no connection named "reputation" in this workspace`);
      expect(res.stdout).toContain(`  ${broken}:6: steps[0].uses: there is no action "incident.addComent"`);
      expect(res.stdout).toMatch(/unchanged CLI demo \(version 3\)/);
      expect(await run(['playbooks', 'apply', file('nameless.yaml', 'steps: []\n')])).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('nameless.yaml: the playbook has no name: field'),
      });
    });

    it('list shows state, trigger, version and runs', async () => {
      const lines = (await ok(['playbooks', 'list'])).trimEnd().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+STATE\s+TRIGGER\s+VERSION\s+RUNS\s+LAST RUN$/);
      expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 5))).toEqual([
        ['Always fails', 'enabled', 'manual', '1', '0 (0 ok, 0 failed)'],
        ['CLI demo', 'enabled', 'manual', '3', '0 (0 ok, 0 failed)'],
      ]);
      const json = JSON.parse(await ok(['--json', 'playbooks', 'list']));
      expect(json.items.map((p: { name: string }) => p.name)).toEqual(['Always fails', 'CLI demo']);
    });

    it('run prints the run id; the run waits in the queue for a worker', async () => {
      const out = await ok(['playbooks', 'run', 'CLI demo', '--incident', '1']);
      expect(out.trim()).toMatch(RUN_ID);
      const queued = await ok(['playbooks', 'runs', 'CLI demo', '--status', 'queued']);
      expect(queued).toContain(out.trim());
    });

    it('run --wait executes the run, typing --input values as the playbook declares them, and prints the outcome', async () => {
      const res = await run([
        'playbooks',
        'run',
        'CLI demo',
        '--incident',
        '1',
        '--input',
        'count=3',
        '--input',
        'loud=true',
        '--wait',
      ]);
      expect(res).toMatchObject({ code: 0, stderr: '' });
      const [id, outcome] = res.stdout.trimEnd().split('\n');
      expect(id).toMatch(RUN_ID);
      expect(outcome).toMatch(new RegExp(`^Run ${id} succeeded in \\d+(\\.\\d)? m?s$`));
      demoRun = id!;
      const detail = JSON.parse(await ok(['--json', 'playbooks', 'show-run', demoRun]));
      expect(detail).toMatchObject({ status: 'succeeded', inputs: { count: 3, loud: true } });
      expect(detail.steps.at(-1).input).toEqual({ message: 'Seen Impossible travel for alice (loud: true)' });
    });

    it('run --wait exits 1 when the run fails, with its message; bad input values are refused before starting', async () => {
      const failed = await run(['playbooks', 'run', 'Always fails', '--incident', '1', '--wait']);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/^[0-9a-f-]{36}\nRun [0-9a-f-]{36} failed in .*: nothing to do here\n$/);
      const bad = await run(['playbooks', 'run', 'CLI demo', '--incident', '1', '--input', 'count=many']);
      expect(bad).toMatchObject({ code: 1, stderr: '--input count: "many" is not a number\n' });
      const undeclared = await run(['playbooks', 'run', 'CLI demo', '--incident', '1', '--input', 'colour=red']);
      expect(undeclared).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('inputs.colour: is not an input of this playbook'),
      });
      const missing = await run(['playbooks', 'run', 'No such playbook']);
      expect(missing).toMatchObject({ code: 1, stderr: 'Playbook No such playbook not found in workspace default\n' });
    });

    it('runs lists the runs newest first, filtered by --status', async () => {
      const lines = (await ok(['playbooks', 'runs', 'CLI demo'])).trimEnd().split('\n');
      expect(lines[0]).toMatch(/^RUN\s+VERSION\s+STATUS\s+TRIGGER\s+STARTED BY\s+QUEUED\s+DURATION\s+STEPS\s+MESSAGE$/);
      expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
        [demoRun, '3', 'succeeded'],
        // The run left queued earlier was executed by the worker of `run --wait`.
        [expect.stringMatching(RUN_ID), '3', 'succeeded'],
      ]);
      expect(await ok(['playbooks', 'runs', 'Always fails', '--status', 'failed'])).toMatch(
        /failed\s+incident\s+.*nothing to do here/,
      );
      expect(await ok(['playbooks', 'runs', 'Always fails', '--status', 'succeeded'])).toBe(
        'No runs of Always fails with status succeeded.\n',
      );
    });

    it('show-run prints the run and its step tree as an indented table, loop iterations under their loop', async () => {
      const out = await ok(['playbooks', 'show-run', demoRun]);
      const [header, tree] = out.trimEnd().split('\n\n');
      expect(header).toMatch(new RegExp(`^Run:\\s+${demoRun}\\nPlaybook:\\s+CLI demo \\(version 3\\)\\nStatus:\\s+succeeded\\n`));
      expect(header).toMatch(/Trigger:\s+incident on incident \S+/);
      expect(header).toMatch(/Steps:\s+6 executed, 1 attempt\(s\)/);
      const rows = tree!.split('\n').map((l) => l.split(/\s{2,}/).slice(0, 4));
      expect(tree!.split('\n')[0]).toMatch(/^STEP\s+KIND\s+STATUS\s+ATTEMPTS\s+DURATION\s+ERROR$/);
      expect(rows.slice(1)).toEqual([
        ['inc', 'action', 'succeeded', '1'],
        ['each', 'forEach', 'succeeded', '1'],
        ['', '[0] note', 'set', 'succeeded'],
        ['', '[1] note', 'set', 'succeeded'],
        ['', '[2] note', 'set', 'succeeded'],
        ['comment', 'action', 'succeeded', '1'],
      ]);
      expect(await run(['playbooks', 'show-run', 'nope'])).toMatchObject({
        code: 1,
        stderr: 'Run nope not found in workspace default\n',
      });
    });

    describe('against a server (--url)', () => {
      let server: ChildProcess;
      let remote: string[];

      beforeAll(async () => {
        const token = JSON.parse(await ok(['--json', 'tokens', 'create', '--name', 'cli', '--role', 'Owner'])).token as string;
        const port = await freePort();
        server = spawnCli(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
        remote = ['--url', `http://127.0.0.1:${port}`, '--token', token];
        for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
          if (Date.now() > deadline) throw new Error('vigil serve did not start');
          if (
            await fetch(`http://127.0.0.1:${port}/readyz`).then(
              (r) => r.ok,
              () => false,
            )
          )
            break;
        }
      }, 60_000);
      afterAll(() => void server?.kill('SIGKILL'));

      it('validate --url also checks connection names; run --wait gets the result the server executed', async () => {
        const broken = file('broken.yaml', BROKEN);
        const res = await run([...remote, 'playbooks', 'validate', broken]);
        expect(res.code).toBe(1);
        expect(res.stdout).toContain(`${broken}:3: connections.vt: there is no connection named "reputation" in this workspace`);
        const waited = await run([...remote, 'playbooks', 'run', 'CLI demo', '--incident', '1', '--wait']);
        expect(waited).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/\nRun \S+ succeeded in /) });
      });
    });
  });
});

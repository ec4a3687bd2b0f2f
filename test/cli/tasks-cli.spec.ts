import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';

describe('vigil tasks (local database)', () => {
  let dir: string;
  let dataDir: string;

  const run = (args: string[], input = '') => runCli(args, { DATA_DIR: dataDir }, input);
  const ok = async (args: string[]) => {
    const res = await run(args);
    expect(res.stderr, `vigil ${args.join(' ')}`).toBe('');
    expect(res.code, `vigil ${args.join(' ')}`).toBe(0);
    return res.stdout;
  };
  const tasksJson = async () => JSON.parse(await ok(['--json', 'tasks', 'list', '1'])).items as any[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-tasks-cli-'));
    dataDir = path.join(dir, 'data');
    await ok(['migrate']);
    const ingest = await run(['ingest', '-'], JSON.stringify(alert({ title: 'Impossible travel for alice' })));
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/1 incident\(s\)/);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says so when an incident has no tasks', async () => {
    expect(await ok(['tasks', 'list', '1'])).toBe('Incident 1 has no tasks.\n');
    expect(await tasksJson()).toEqual([]);
  });

  it('adds tasks with --title and --description', async () => {
    expect(await ok(['tasks', 'add', '1', '--title', 'Reset the password', '--description', 'Use **SSPR**'])).toBe(
      'Added task 1 "Reset the password" to incident 1.\n',
    );
    const json = JSON.parse(await ok(['--json', 'tasks', 'add', '1', '--title', 'Isolate the host']));
    expect(json).toMatchObject({
      order: 2,
      title: 'Isolate the host',
      description: '',
      status: 'New',
      manual: true,
      createdBy: { type: 'user' },
    });
    const items = await tasksJson();
    expect(items.map((t) => [t.order, t.title, t.status])).toEqual([
      [1, 'Reset the password', 'New'],
      [2, 'Isolate the host', 'New'],
    ]);
    expect(items[0].descriptionHtml).toContain('<strong>SSPR</strong>');
  });

  it('lists the checklist as a table, in order', async () => {
    const lines = (await ok(['tasks', 'list', '1'])).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#\s+DONE\s+TITLE\s+CREATED BY\s+COMPLETED$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^1\s+○\s+Reset the password\s+\S/);
    expect(lines[2]).toMatch(/^2\s+○\s+Isolate the host\s+\S/);
  });

  it('completes a task by its number, and by its id', async () => {
    expect(await ok(['tasks', 'complete', '1', '1'])).toBe('Task 1 "Reset the password" is completed.\n');
    let items = await tasksJson();
    expect(items[0]).toMatchObject({ status: 'Completed', completedBy: { type: 'user' } });
    expect(Date.parse(items[0].completedAt)).not.toBeNaN();
    expect(items[1].status).toBe('New');
    const table = await ok(['tasks', 'list', '1']);
    expect(table).toMatch(
      new RegExp(
        `^1\\s+✓\\s+Reset the password\\s+.*${items[0].completedBy.name}\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`,
        'm',
      ),
    );
    expect(table).toMatch(/^2\s+○\s+Isolate the host/m);

    expect(await ok(['tasks', 'complete', '1', items[1].id])).toBe('Task 2 "Isolate the host" is completed.\n');
    items = await tasksJson();
    expect(items.map((t) => t.status)).toEqual(['Completed', 'Completed']);
    const incident = JSON.parse(await ok(['--json', 'incidents', 'show', '1']));
    expect(incident.incident.taskCounts).toEqual({ total: 2, completed: 2 });
    expect(incident.activity[0]).toMatchObject({
      action: 'taskCompleted',
      changes: [{ field: 'task', to: { title: 'Isolate the host', status: 'Completed' } }],
    });
  });

  it('re-opens a task', async () => {
    expect(await ok(['tasks', 'reopen', '1', '1'])).toBe('Task 1 "Reset the password" is open again.\n');
    const items = await tasksJson();
    expect(items[0]).toMatchObject({ status: 'New', completedBy: null, completedAt: null });
    expect(items[1].status).toBe('Completed');
    expect(await ok(['tasks', 'list', '1'])).toMatch(/^1\s+○\s+Reset the password/m);
    const incident = JSON.parse(await ok(['--json', 'incidents', 'show', '1']));
    expect(incident.incident.taskCounts).toEqual({ total: 2, completed: 1 });
    expect(incident.activity[0].action).toBe('taskReopened');
  });

  it('fails on an unknown task number or incident with a message on stderr and exit code 1, changing nothing', async () => {
    const before = await tasksJson();
    const missing = await run(['tasks', 'complete', '1', '9']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/Incident 1 has no task 9/);
    const reopen = await run(['tasks', 'reopen', '1', '3']);
    expect(reopen.code).toBe(1);
    expect(reopen.stderr).toMatch(/no task 3/);
    const noIncident = await run(['tasks', 'list', '999']);
    expect(noIncident.code).toBe(1);
    expect(noIncident.stderr).toMatch(/Incident 999 not found/);
    const tooLong = await run(['tasks', 'add', '1', '--title', 'x'.repeat(151)]);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/title/);
    expect(await tasksJson()).toEqual(before);
  });
});

import type { Task } from '../../tasks/index.js';
import type { Client } from '../client.js';
import { output, shortTime, table } from '../format.js';

const enc = encodeURIComponent;
const base = (client: Client, incident: string) => `/api/v1/workspaces/${enc(client.workspace)}/incidents/${enc(incident)}/tasks`;

async function findTask(client: Client, incident: string, ref: string): Promise<Task> {
  const tasks = ((await client.request('GET', base(client, incident))).body as { items: Task[] }).items;
  const task = /^\d+$/.test(ref) ? tasks.find((t) => t.order === Number(ref)) : tasks.find((t) => t.id === ref);
  if (!task) throw new Error(`Incident ${incident} has no task ${ref} (give the task's number as listed, or its id)`);
  return task;
}

/** `vigil tasks list <incident>`: the checklist in order. */
export async function listTasks(client: Client, incident: string, json: boolean): Promise<void> {
  const page = (await client.request('GET', base(client, incident))).body as { items: Task[] };
  output(json, page, () =>
    page.items.length === 0
      ? `Incident ${incident} has no tasks.`
      : table(page.items, [
          { heading: '#', value: (t) => t.order },
          { heading: 'Done', value: (t) => (t.status === 'Completed' ? '✓' : '○') },
          { heading: 'Title', value: (t) => t.title, max: 70 },
          { heading: 'Created by', value: (t) => `${t.createdBy.name}${t.manual ? '' : ` (${t.createdBy.type})`}` },
          { heading: 'Completed', value: (t) => (t.completedBy ? `${t.completedBy.name} ${shortTime(t.completedAt)}` : '') },
        ]),
  );
}

/** `vigil tasks add <incident> --title … [--description …]`. */
export async function addTask(
  client: Client,
  incident: string,
  options: { title: string; description?: string },
  json: boolean,
): Promise<void> {
  const task = (
    await client.request('POST', base(client, incident), { title: options.title, description: options.description ?? '' })
  ).body as Task;
  output(json, task, () => `Added task ${task.order} "${task.title}" to incident ${incident}.`);
}

/** `vigil tasks complete|reopen <incident> <task>` (the task's number as listed, or its id). */
export async function setTaskStatus(
  client: Client,
  incident: string,
  ref: string,
  status: 'Completed' | 'New',
  json: boolean,
): Promise<void> {
  const task = await findTask(client, incident, ref);
  const updated = (
    await client.request('PATCH', `${base(client, incident)}/${enc(task.id)}`, { status }, { 'if-match': task.etag })
  ).body as Task;
  output(
    json,
    updated,
    () => `Task ${updated.order} "${updated.title}" is ${status === 'Completed' ? 'completed' : 'open again'}.`,
  );
}

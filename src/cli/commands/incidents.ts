import type { Incident } from '../../incidents/index.js';
import type { Client } from '../client.js';
import { fields, output, shortTime, table } from '../format.js';

const path = (client: Client, rest = '') => `/api/v1/workspaces/${encodeURIComponent(client.workspace)}/incidents${rest}`;

/** Filters and paging of `vigil incidents list`. */
export interface ListOptions {
  status?: string[];
  severity?: string[];
  owner?: string[];
  tag?: string[];
  product?: string[];
  classification?: string[];
  q?: string;
  sort?: string;
  order?: string;
  limit?: string;
  cursor?: string;
}

/** Lists the queue. */
export async function listIncidents(client: Client, options: ListOptions, json: boolean): Promise<void> {
  const params = new URLSearchParams();
  for (const key of ['status', 'severity', 'owner', 'tag', 'product', 'classification'] as const) {
    for (const value of options[key] ?? []) params.append(key, value);
  }
  for (const key of ['q', 'sort', 'order', 'limit', 'cursor'] as const) {
    if (options[key]) params.set(key, options[key]!);
  }
  const response = await client.request('GET', path(client, `?${params}`));
  const page = response.body as { items: Incident[]; nextCursor: string | null };
  output(json, page, () => {
    if (page.items.length === 0) return 'No incidents match.';
    const rows = table(page.items, [
      { heading: '#', value: (i) => i.number },
      { heading: 'Severity', value: (i) => i.severity },
      { heading: 'Status', value: (i) => i.status },
      { heading: 'Title', value: (i) => i.title, max: 70 },
      { heading: 'Owner', value: (i) => i.owner?.name ?? '' },
      { heading: 'Alerts', value: (i) => i.alertCount },
      { heading: 'Tasks', value: (i) => (i.taskCounts.total ? `${i.taskCounts.completed}/${i.taskCounts.total}` : '') },
      { heading: 'Tags', value: (i) => i.tags, max: 30 },
      { heading: 'Created', value: (i) => shortTime(i.createdAt) },
    ]);
    return page.nextCursor ? `${rows}\n\nMore: --cursor ${page.nextCursor}` : rows;
  });
}

/** Shows one incident with its latest activity. */
export async function showIncident(client: Client, ref: string, json: boolean): Promise<void> {
  const incident = (await client.request('GET', path(client, `/${encodeURIComponent(ref)}`))).body as Incident;
  const activity = (await client.request('GET', path(client, `/${encodeURIComponent(ref)}/activity?limit=10`))).body as {
    items: {
      createdAt: string;
      actor: { name: string };
      action: string;
      changes: { field: string; to: unknown }[];
      comment: { message: string | null } | null;
    }[];
  };
  output(json, { incident, activity: activity.items }, () => {
    const head = fields([
      ['Incident', `#${incident.number}  ${incident.title}`],
      ['Severity', incident.severity],
      ['Status', incident.status],
      [
        'Owner',
        incident.owner ? `${incident.owner.name}${incident.owner.email ? ` <${incident.owner.email}>` : ''}` : 'unassigned',
      ],
      [
        'Classification',
        [incident.classification, incident.classificationReason, incident.determination].filter(Boolean).join(' / '),
      ],
      ['Resolution note', incident.classificationComment ?? ''],
      ['Tags', [...incident.tags, ...incident.systemTags.map((t) => `${t} (system)`)]],
      ['Tactics', incident.tactics],
      ['Products', incident.alertProductNames],
      ['Alerts', incident.alertCount],
      ['Comments', incident.commentCount],
      ['Tasks', `${incident.taskCounts.completed}/${incident.taskCounts.total} done`],
      ['Created', shortTime(incident.createdAt)],
      ['Updated', shortTime(incident.updatedAt)],
      ['Link', incident.url],
      ['Etag', incident.etag],
    ]);
    const log = activity.items
      .map((entry) => {
        const what = entry.comment
          ? `commented: ${entry.comment.message ?? '(deleted)'}`
          : `${entry.action}: ${entry.changes.map((c) => `${c.field}${c.field === 'alerts' ? '' : ` → ${JSON.stringify(c.to)}`}`).join(', ')}`;
        return `  ${shortTime(entry.createdAt)}  ${entry.actor.name}  ${what}`;
      })
      .join('\n');
    return `${head}\n\nLatest activity:\n${log || '  (none)'}`;
  });
}

/** Options of `vigil incidents update`. */
export interface UpdateOptions {
  title?: string;
  severity?: string;
  status?: string;
  owner?: string;
  classification?: string;
  reason?: string;
  determination?: string;
  note?: string;
  addTag?: string[];
  removeTag?: string[];
  ifMatch?: string;
}

/** Changes one or more incidents (several → the bulk endpoint). */
export async function updateIncidents(client: Client, refs: string[], options: UpdateOptions, json: boolean): Promise<void> {
  const changes: Record<string, unknown> = {};
  if (options.severity) changes.severity = options.severity;
  if (options.status) changes.status = options.status;
  if (options.owner) {
    changes.owner = ['none', 'unassign', 'unassigned'].includes(options.owner.toLowerCase())
      ? null
      : options.owner.includes('@')
        ? { type: 'user', email: options.owner }
        : { type: 'group', name: options.owner };
  }
  if (options.classification) changes.classification = options.classification;
  if (options.reason) changes.classificationReason = options.reason;
  if (options.determination) changes.determination = options.determination;
  if (options.note) changes.classificationComment = options.note;
  if (options.addTag?.length) changes.addTags = options.addTag;
  if (options.removeTag?.length) changes.removeTags = options.removeTag;
  if (refs.length === 1) {
    if (options.title) changes.title = options.title;
    const headers: Record<string, string> = options.ifMatch ? { 'if-match': options.ifMatch } : {};
    const incident = (await client.request('PATCH', path(client, `/${encodeURIComponent(refs[0]!)}`), changes, headers))
      .body as Incident;
    output(
      json,
      incident,
      () => `Updated incident #${incident.number} (${incident.status}, ${incident.severity}); etag ${incident.etag}`,
    );
    return;
  }
  if (options.title) throw new Error('--title applies to one incident at a time');
  const result = (await client.request('POST', path(client, '/bulk'), { ids: refs, changes })).body as {
    results: { id: string; number: number | null; ok: boolean; error?: { message: string } }[];
    succeeded: number;
    failed: number;
  };
  output(json, result, () =>
    [
      `Updated ${result.succeeded} of ${result.results.length} incident(s).`,
      ...result.results.filter((r) => !r.ok).map((r) => `  ${r.number ?? r.id}: ${r.error?.message}`),
    ].join('\n'),
  );
  if (result.failed > 0) process.exitCode = 1;
}

/** Adds a comment to an incident. */
export async function commentOnIncident(client: Client, ref: string, message: string, json: boolean): Promise<void> {
  let text = message;
  if (message === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  }
  const comment = (await client.request('POST', path(client, `/${encodeURIComponent(ref)}/comments`), { message: text }))
    .body as { id: string };
  output(json, comment, () => `Comment ${comment.id} added to incident ${ref}.`);
}

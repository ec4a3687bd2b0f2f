import { requirePermission, type Access } from '../auth/permissions.js';
import type { Actor } from '../common/actor.js';
import { InputError } from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import { resolveOwnerFilter } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import { fromJson } from '../storage/json.js';
import type { TaskReport, TaskReportQuery } from './task-schemas.js';

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 366;

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[rank]! / 60_000) * 10) / 10;
}

/**
 * The SOC manager's view of the checklists ("keep track of your tasks"): for tasks created in a
 * time range, per task title, how many were created, completed and left open, how long they took
 * (median and 90th percentile), who completed them, and which closed incidents still have open tasks.
 */
export async function taskReport(storage: Storage, access: Access, query: TaskReportQuery, now: number): Promise<TaskReport> {
  requirePermission(access, 'incidents.read');
  const to = query.to ? Date.parse(query.to) : now;
  const from = query.from ? Date.parse(query.from) : to - 30 * DAY;
  if (from >= to) throw new InputError('from must be before to', [{ path: 'from', message: 'must be before to' }]);
  if (to - from > MAX_RANGE_DAYS * DAY) {
    throw new InputError(`A report covers at most ${MAX_RANGE_DAYS} days`, [
      { path: 'from', message: `at most ${MAX_RANGE_DAYS} days before to` },
    ]);
  }
  const { db } = storage;
  let select = db
    .selectFrom('tasks as t')
    .innerJoin('incidents as i', (join) =>
      join.onRef('i.workspace_id', '=', 't.workspace_id').onRef('i.id', '=', 't.incident_id'),
    )
    .select([
      't.title',
      't.status',
      't.created_by_type',
      't.completed_by',
      't.created_at',
      't.completed_at',
      'i.id as incident_id',
      'i.number as incident_number',
      'i.title as incident_title',
      'i.status as incident_status',
    ])
    .where('t.workspace_id', '=', access.workspaceId!)
    .where('t.created_at', '>=', from)
    .where('t.created_at', '<', to);
  if (query.createdByType) select = select.where('t.created_by_type', '=', query.createdByType);
  if (query.owner) {
    const { ownerIds, includeUnassigned } = await resolveOwnerFilter(db, access, [query.owner]);
    select = select.where((eb) => (includeUnassigned ? eb('i.owner_id', 'is', null) : eb('i.owner_id', 'in', ownerIds)));
  }
  if (query.analyticsRule) {
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('incident_sources as s')
          .select('s.incident_id')
          .whereRef('s.workspace_id', '=', 'i.workspace_id')
          .whereRef('s.incident_id', '=', 'i.id')
          .where('s.kind', '=', 'rule')
          .where('s.value_key', '=', query.analyticsRule!.toLowerCase()),
      ),
    );
  }
  const rows = await select.execute();

  const byTitle = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byTitle.get(row.title) ?? [];
    list.push(row);
    byTitle.set(row.title, list);
  }
  const report: TaskReport['rows'] = [...byTitle].map(([title, tasks]) => {
    const completed = tasks.filter((t) => t.status === 'Completed');
    const durations = completed.map((t) => (t.completed_at ?? t.created_at) - t.created_at).sort((a, b) => a - b);
    const createdBy: Record<string, number> = {};
    for (const t of tasks) createdBy[t.created_by_type] = (createdBy[t.created_by_type] ?? 0) + 1;
    const completers = new Map<string, { name: string; type: string; count: number }>();
    for (const t of completed) {
      const actor = fromJson<Actor | null>(t.completed_by, null);
      if (!actor) continue;
      const key = `${actor.type}:${actor.id}`;
      const entry = completers.get(key) ?? { name: actor.name, type: actor.type, count: 0 };
      entry.count += 1;
      completers.set(key, entry);
    }
    return {
      title,
      created: tasks.length,
      completed: completed.length,
      open: tasks.length - completed.length,
      openOnClosedIncidents: tasks.filter((t) => t.status !== 'Completed' && t.incident_status === 'Closed').length,
      medianMinutesToComplete: percentile(durations, 50),
      p90MinutesToComplete: percentile(durations, 90),
      createdBy,
      completedBy: [...completers.values()].sort((a, b) => b.count - a.count),
    };
  });
  report.sort((a, b) => b.created - a.created || a.title.localeCompare(b.title));

  const closedWithOpen = new Map<string, { id: string; number: number; title: string; openTasks: number }>();
  for (const row of rows) {
    if (row.incident_status !== 'Closed' || row.status === 'Completed') continue;
    const entry = closedWithOpen.get(row.incident_id) ?? {
      id: row.incident_id,
      number: row.incident_number,
      title: row.incident_title,
      openTasks: 0,
    };
    entry.openTasks += 1;
    closedWithOpen.set(row.incident_id, entry);
  }
  return {
    from: isoTime(from),
    to: isoTime(to),
    rows: report,
    incidentsClosedWithOpenTasks: [...closedWithOpen.values()].sort((a, b) => a.number - b.number),
  };
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote every cell; neutralize spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** The report as CSV, one row per task title. */
export function taskReportCsv(report: TaskReport): string {
  const header = [
    'title',
    'created',
    'completed',
    'open',
    'open_on_closed_incidents',
    'median_minutes_to_complete',
    'p90_minutes_to_complete',
    'created_by',
    'completed_by',
  ];
  const lines = report.rows.map((row) =>
    [
      row.title,
      row.created,
      row.completed,
      row.open,
      row.openOnClosedIncidents,
      row.medianMinutesToComplete,
      row.p90MinutesToComplete,
      Object.entries(row.createdBy)
        .map(([type, n]) => `${type}: ${n}`)
        .join('; '),
      row.completedBy.map((c) => `${c.name} (${c.count})`).join('; '),
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`;
}

import { Link } from 'react-router-dom';
import { taskReportCsvUrl, useTaskReport, type TaskReport, type TaskReportFilter } from '../api/reports.js';
import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId, wsUrl } from '../app/workspace.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { SelectField } from '../ui/SelectField.js';
import { useSearchParam } from '../ui/search-params.js';
import './reports.css';

const DAY = 86_400_000;
const RANGES = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 365 days' },
];
const CREATORS = [
  { value: '', label: 'Anyone' },
  { value: 'automationRule', label: 'Automation rules' },
  { value: 'playbook', label: 'Playbooks' },
  { value: 'user', label: 'People' },
];

/** The report's range from the address: the last N days up to the current minute (the API's limit is 366 days). */
function filterFrom(params: URLSearchParams): TaskReportFilter {
  const days = RANGES.some((r) => r.value === params.get('days')) ? Number(params.get('days')) : 30;
  const to = Math.ceil(Date.now() / 60_000) * 60_000;
  const by = params.get('by');
  return {
    from: new Date(to - days * DAY).toISOString(),
    to: new Date(to).toISOString(),
    createdByType: CREATORS.some((c) => c.value === by) && by ? by : undefined,
  };
}

/** Minutes as people read durations: "45 min", "3.5 h", "2.1 days". */
function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

function completedBy(row: TaskReport['rows'][number]): string {
  if (row.completedBy.length === 0) return '—';
  const top = row.completedBy.slice(0, 3).map((p) => `${p.name} (${p.count})`);
  return row.completedBy.length > 3 ? `${top.join(', ')} and ${row.completedBy.length - 3} more` : top.join(', ');
}

/**
 * /reports/tasks: the SOC manager's view of the checklists — per task title, how many were added,
 * completed and left open, how long they took, who completed them, and closed incidents with open tasks.
 */
export function TaskReportPage() {
  const workspace = useWorkspaceId();
  const [params, set] = useSearchParam();
  const filter = filterFrom(params);
  const report = useTaskReport(workspace, filter);
  const rows = report.data?.rows ?? [];
  const leftOpen = report.data?.incidentsClosedWithOpenTasks ?? [];
  return (
    <>
      <PageHeader title="Task report">
        <a className="button" href={taskReportCsvUrl(workspace, filter)} download>
          Download CSV
        </a>
      </PageHeader>
      <div className="page-body stack">
        <p className="muted">
          Tasks created in the range, per title: how many were added and completed, how many are still open (and of those, how
          many sit on closed incidents), and how long completing them took.
        </p>
        <div className="toolbar report-filters" role="search" aria-label="Report filters">
          <SelectField
            label="Tasks created"
            value={params.get('days') ?? '30'}
            choices={RANGES}
            onChange={(v) => set('days', v === '30' ? '' : v)}
          />
          <SelectField label="Added by" value={params.get('by') ?? ''} choices={CREATORS} onChange={(v) => set('by', v)} />
        </div>
        {report.isPending && <Loading label="Building the report…" />}
        <ErrorNotice error={report.error} what="task report" onRetry={() => void report.refetch()} />
        {report.data && rows.length === 0 && (
          <EmptyState title="No tasks were created in this range">
            Tasks appear here once automation rules, playbooks or people add them to incidents.
          </EmptyState>
        )}
        {rows.length > 0 && (
          <div className="table-scroll">
            <table className="grid report-table" aria-label="Tasks by title">
              <thead>
                <tr>
                  <th>Task</th>
                  <th className="num">Created</th>
                  <th className="num">Completed</th>
                  <th className="num">Open</th>
                  <th className="num">Open on closed incidents</th>
                  <th className="num">Median time to complete</th>
                  <th className="num">90th percentile</th>
                  <th>Completed by</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.title}>
                    <td>{row.title}</td>
                    <td className="num">{row.created}</td>
                    <td className="num">{row.completed}</td>
                    <td className="num">{row.open}</td>
                    <td className={`num ${row.openOnClosedIncidents > 0 ? 'warn-text' : ''}`}>{row.openOnClosedIncidents}</td>
                    <td className="num">{duration(row.medianMinutesToComplete)}</td>
                    <td className="num">{duration(row.p90MinutesToComplete)}</td>
                    <td>{completedBy(row)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {leftOpen.length > 0 && (
          <section className="card" aria-label="Closed incidents with open tasks">
            <h2>Closed incidents with open tasks</h2>
            <ul className="report-incidents">
              {leftOpen.map((incident) => (
                <li key={incident.id}>
                  <Link to={wsUrl(workspace, `/incidents/${incident.number}`)}>
                    #{incident.number} {incident.title}
                  </Link>{' '}
                  <span className="muted">
                    · {incident.openTasks} open task{incident.openTasks === 1 ? '' : 's'}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </>
  );
}

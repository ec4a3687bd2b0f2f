import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TaskReport } from '../../../src/tasks/task-schemas.js';
import { api, wsPath } from './client.js';

export type { TaskReport };

/** The task report's filters: a time range of task creation and who added the tasks. */
export type TaskReportFilter = {
  from: string;
  to: string;
  createdByType?: string;
};

/** The task report: per task title, created, completed, open, time to complete and by whom. */
export function useTaskReport(workspace: string, filter: TaskReportFilter) {
  return useQuery({
    queryKey: ['reports', workspace, 'tasks', filter],
    queryFn: ({ signal }) => api.get<TaskReport>(wsPath(workspace, '/reports/tasks'), { query: filter, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The address of the same report as a CSV download (the session cookie authorizes it). */
export function taskReportCsvUrl(workspace: string, filter: TaskReportFilter): string {
  const params = new URLSearchParams({ ...filter, format: 'csv' } as Record<string, string>);
  if (!filter.createdByType) params.delete('createdByType');
  return `${wsPath(workspace, '/reports/tasks')}?${params}`;
}

import { useInfiniteQuery } from '@tanstack/react-query';
import { api, wsPath, type Page, type QueryValue } from './client.js';
import { incidentKeys } from './incidents.js';
import type { ActivityEntry } from './types.js';

/** The activity log's filters: everything, changes, comments, task changes, or what automation did. */
export type ActivityFilter = 'all' | 'changes' | 'comments' | 'tasks' | 'automation';

const FILTER_QUERY: Record<ActivityFilter, Record<string, QueryValue>> = {
  all: {},
  changes: { kind: 'change' },
  comments: { kind: 'comment' },
  tasks: { field: 'task' },
  automation: { actorType: ['automationRule', 'playbook'] },
};

/** An incident's activity log, newest first, a page at a time ("Load more"). */
export function useIncidentActivity(workspace: string, number: number, filter: ActivityFilter, pageSize = 25) {
  return useInfiniteQuery({
    queryKey: [...incidentKeys.part(workspace, number, 'activity'), filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ActivityEntry>>(wsPath(workspace, `/incidents/${number}/activity`), {
        query: { ...FILTER_QUERY[filter], limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The audit log's filters (all optional): who, what kind of entry, which field, and when. */
export type AuditFilter = {
  actorType?: string[];
  kind?: 'changes' | 'comments';
  field?: string;
  since?: string;
  until?: string;
};

/** The workspace's activity across incidents, newest first, a page at a time ("Load more"). */
export function useWorkspaceActivity(workspace: string, filter: AuditFilter, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: ['audit', workspace, filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ActivityEntry>>(wsPath(workspace, '/activity'), {
        query: { ...filter, limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Run, RunDetail, RunStatus, StepView } from '../../../src/playbooks/run-views.js';
import { api, ApiError, wsPath, type Page, type QueryValue } from './client.js';

export type { Run, RunDetail, RunStatus, StepView };

/** Statuses after which a run no longer changes. */
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/** Whether a run has finished (succeeded, failed or cancelled). */
export function isFinished(status: string): boolean {
  return (FINISHED_RUN_STATUSES as readonly string[]).includes(status);
}

/** Query keys: every run list of a workspace under `['runs', ws]`, one run under `['run', ws, id]`. */
export const runKeys = {
  lists: (workspace: string) => ['runs', workspace] as const,
  list: (workspace: string, query: Record<string, QueryValue>) => ['runs', workspace, 'list', query] as const,
  one: (workspace: string, run: string) => ['run', workspace, run] as const,
};

const LIVE_MS = 1500;

/**
 * One page of runs, newest first: the workspace's, or one playbook's (`query.playbook`). Refetches
 * every 1.5 s while a run on the page is still queued, running or waiting.
 */
export function useRunPage(workspace: string, query: Record<string, QueryValue>) {
  return useQuery({
    queryKey: runKeys.list(workspace, query),
    queryFn: ({ signal }) => api.get<Page<Run>>(wsPath(workspace, '/runs'), { query, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((r) => !isFinished(r.status)) ? LIVE_MS : false),
  });
}

/** One run with its step tree; refetched every 1.5 s until it has finished. */
export function useRun(workspace: string, run: string) {
  return useQuery({
    queryKey: runKeys.one(workspace, run),
    queryFn: ({ signal }) => api.get<RunDetail>(wsPath(workspace, `/runs/${encodeURIComponent(run)}`), { signal }),
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) ? false : LIVE_MS),
  });
}

function useRunAction(workspace: string, action: 'cancel' | 'rerun') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (run: string) => api.post<Run>(wsPath(workspace, `/runs/${encodeURIComponent(run)}/${action}`)),
    onSuccess: (_result, run) => {
      void client.invalidateQueries({ queryKey: runKeys.one(workspace, run) });
      void client.invalidateQueries({ queryKey: runKeys.lists(workspace) });
      void client.invalidateQueries({ queryKey: ['playbooks', workspace] });
    },
  });
}

/** Cancels a queued, running or waiting run (a running one stops before its next step). */
export function useCancelRun(workspace: string) {
  return useRunAction(workspace, 'cancel');
}

/** Runs a finished run again with the playbook's current version; answers the new run. */
export function useRerun(workspace: string) {
  return useRunAction(workspace, 'rerun');
}

/** The incident a run is about (number and title for its link), read by id. */
export function useRunIncident(workspace: string, incidentId: string | null) {
  return useQuery({
    queryKey: ['incident-ref', workspace, incidentId],
    queryFn: ({ signal }) =>
      api.get<{ id: string; number: number; title: string }>(wsPath(workspace, `/incidents/${encodeURIComponent(incidentId!)}`), {
        signal,
      }),
    enabled: Boolean(incidentId),
    staleTime: 60_000,
  });
}

/** Which of the given workspaces holds a run (for links made without a workspace); null when none does. */
export function useRunWorkspace(run: string, workspaces: string[]) {
  return useQuery({
    queryKey: ['run-workspace', run, workspaces],
    queryFn: async ({ signal }) => {
      for (const workspace of workspaces) {
        try {
          await api.get<RunDetail>(wsPath(workspace, `/runs/${encodeURIComponent(run)}`), { signal });
          return workspace;
        } catch (error) {
          if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 403)) throw error;
        }
      }
      return null;
    },
    enabled: workspaces.length > 0,
  });
}

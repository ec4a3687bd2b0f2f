import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, wsPath, type Page, type QueryValue } from './client.js';
import type { BulkResult, Incident, IncidentCounts, OwnerInput } from './types.js';

/**
 * Query keys. Every incident list or count of a workspace sits under `['incidents', ws]`
 * (`'*'` for the cross-workspace queue); one incident and its parts under `['incident', ws, number]`.
 * Live updates (live.ts) invalidate by these prefixes.
 */
export const incidentKeys = {
  lists: (workspace: string) => ['incidents', workspace] as const,
  list: (workspace: string, query: Record<string, QueryValue>) => ['incidents', workspace, 'list', query] as const,
  counts: (workspace: string, query: Record<string, QueryValue>) => ['incidents', workspace, 'counts', query] as const,
  one: (workspace: string, number: number) => ['incident', workspace, number] as const,
  part: (workspace: string, number: number, part: string) => ['incident', workspace, number, part] as const,
};

/** An incident as the cross-workspace queue returns it, labelled with its workspace. */
export type QueueIncident = Incident & { workspace?: { id: string; name: string } };

/** One page of a workspace's queue (or, for workspace `*`, every readable workspace's). */
export function useIncidentPage(workspace: string, query: Record<string, QueryValue>) {
  return useQuery({
    queryKey: incidentKeys.list(workspace, query),
    queryFn: ({ signal }) =>
      api.get<Page<QueueIncident>>(workspace === '*' ? '/api/v1/incidents' : wsPath(workspace, '/incidents'), {
        query,
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** Counts by status and severity for the same filters as the list. */
export function useIncidentCounts(workspace: string, query: Record<string, QueryValue>) {
  return useQuery({
    queryKey: incidentKeys.counts(workspace, query),
    queryFn: ({ signal }) =>
      api.get<IncidentCounts>(workspace === '*' ? '/api/v1/incidents/counts' : wsPath(workspace, '/incidents/counts'), {
        query,
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** One incident by its number. */
export function useIncident(workspace: string, number: number) {
  return useQuery({
    queryKey: incidentKeys.one(workspace, number),
    queryFn: ({ signal }) => api.get<Incident>(wsPath(workspace, `/incidents/${number}`), { signal }),
  });
}

/** The fields PATCH /incidents/{id} accepts. */
export interface IncidentChanges {
  title?: string;
  description?: string;
  severity?: Incident['severity'];
  status?: Incident['status'];
  owner?: OwnerInput | null;
  classification?: Incident['classification'];
  classificationReason?: Incident['classificationReason'];
  classificationComment?: string | null;
  determination?: Incident['determination'];
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
}

/** Changes an incident, sending its etag (If-Match): a concurrent change answers 412. */
export function useUpdateIncident(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ incident, changes }: { incident: Incident; changes: IncidentChanges }) =>
      api.patch<Incident>(wsPath(workspace, `/incidents/${incident.id}`), changes, { ifMatch: incident.etag }),
    onSuccess: (updated) => {
      client.setQueryData(incidentKeys.one(workspace, updated.number), updated);
      void client.invalidateQueries({ queryKey: ['incident', workspace, updated.number] });
      void client.invalidateQueries({ queryKey: incidentKeys.lists(workspace) });
    },
  });
}

/** The same change to several incidents (the Manage incidents pane). */
export function useBulkUpdate(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: (string | number)[]; changes: Omit<IncidentChanges, 'title' | 'description' | 'tags'> }) =>
      api.post<BulkResult>(wsPath(workspace, '/incidents/bulk'), input),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: incidentKeys.lists(workspace) });
      void client.invalidateQueries({ queryKey: ['incident', workspace] });
    },
  });
}

/** Creates an incident by hand. */
export function useCreateIncident(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { title: string; description?: string; severity?: Incident['severity']; owner?: OwnerInput | null }) =>
      api.post<Incident>(wsPath(workspace, '/incidents'), input),
    onSuccess: () => client.invalidateQueries({ queryKey: incidentKeys.lists(workspace) }),
  });
}

/** Tags in use, most used first, optionally starting with `prefix` (type-ahead). */
export function useTagSuggestions(workspace: string, prefix: string) {
  return useQuery({
    queryKey: ['tags', workspace, prefix],
    queryFn: ({ signal }) =>
      api.get<{ items: { tag: string; count: number; system: boolean }[] }>(wsPath(workspace, '/tags'), {
        query: { prefix, limit: 20 },
        signal,
      }),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

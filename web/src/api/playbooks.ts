import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  playbookDetailSchema,
  playbookSchema,
  validationResultSchema,
  versionSchema,
} from '../../../src/playbooks/playbook-schemas.js';
import type { Run } from './runs.js';
import { api, wsPath, type Page, type QueryValue } from './client.js';

/** A playbook as the list and get endpoints return it (trigger, status, run counts, last run). */
export type Playbook = z.output<typeof playbookSchema>;
/** A playbook with its current source, validated definition and (once) its webhook URL. */
export type PlaybookDetail = z.output<typeof playbookDetailSchema>;
/** One saved version of a playbook (source only when read one at a time). */
export type PlaybookVersion = z.output<typeof versionSchema>;
/** What POST /playbooks/validate answers: valid, the problems by path and line, the definition. */
export type PlaybookValidation = z.output<typeof validationResultSchema>;

/** Query keys: every playbook query of a workspace sits under `['playbooks', ws]`. */
export const playbookKeys = {
  all: (workspace: string) => ['playbooks', workspace] as const,
  list: (workspace: string, query: Record<string, QueryValue>) => ['playbooks', workspace, 'list', query] as const,
  one: (workspace: string, playbook: string) => ['playbooks', workspace, 'one', playbook] as const,
  versions: (workspace: string, playbook: string) => ['playbooks', workspace, 'one', playbook, 'versions'] as const,
  version: (workspace: string, playbook: string, version: number) =>
    ['playbooks', workspace, 'one', playbook, 'versions', version] as const,
};

const path = (workspace: string, playbook: string, rest = '') =>
  wsPath(workspace, `/playbooks/${encodeURIComponent(playbook)}${rest}`);

/** One page of the workspace's playbooks by name (filters as GET /playbooks takes them). */
export function usePlaybookList(workspace: string, query: Record<string, QueryValue> = {}) {
  return useQuery({
    queryKey: playbookKeys.list(workspace, query),
    queryFn: ({ signal }) =>
      api.get<Page<Playbook>>(wsPath(workspace, '/playbooks'), { query: { limit: 200, ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** One playbook with its current source. */
export function usePlaybook(workspace: string, playbook: string | undefined) {
  return useQuery({
    queryKey: playbookKeys.one(workspace, playbook ?? ''),
    queryFn: ({ signal }) => api.get<PlaybookDetail>(path(workspace, playbook!), { signal }),
    enabled: Boolean(playbook),
  });
}

/** A playbook's versions, newest first. */
export function usePlaybookVersions(workspace: string, playbook: string) {
  return useQuery({
    queryKey: playbookKeys.versions(workspace, playbook),
    queryFn: ({ signal }) => api.get<{ items: PlaybookVersion[] }>(path(workspace, playbook, '/versions'), { signal }),
  });
}

/** One old version with its source (null: none chosen). */
export function usePlaybookVersion(workspace: string, playbook: string, version: number | null) {
  return useQuery({
    queryKey: playbookKeys.version(workspace, playbook, version ?? 0),
    queryFn: ({ signal }) => api.get<PlaybookVersion>(path(workspace, playbook, `/versions/${version}`), { signal }),
    enabled: version !== null,
    staleTime: Infinity,
  });
}

/** Checks a YAML or JSON source without saving it (the editor's inline problems). */
export function validatePlaybook(workspace: string, source: string, signal?: AbortSignal) {
  return api.post<PlaybookValidation>(wsPath(workspace, '/playbooks/validate'), { source }, { signal });
}

/** Creates a playbook from its source; the answer holds the webhook URL once for webhook playbooks. */
export function useCreatePlaybook(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (source: string) => api.post<PlaybookDetail>(wsPath(workspace, '/playbooks'), { source }),
    onSuccess: () => client.invalidateQueries({ queryKey: playbookKeys.all(workspace) }),
  });
}

/** Saves a new version, sending the etag the editor started from (a concurrent save answers 412). */
export function useSavePlaybook(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ playbook, source }: { playbook: PlaybookDetail; source: string }) =>
      api.put<PlaybookDetail>(path(workspace, playbook.id), { source }, { ifMatch: playbook.etag }),
    onSuccess: (saved) => {
      client.setQueryData(playbookKeys.one(workspace, saved.id), saved);
      void client.invalidateQueries({ queryKey: playbookKeys.all(workspace) });
    },
  });
}

/** Enables or disables a playbook. */
export function useTogglePlaybook(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ playbook, enabled }: { playbook: Playbook; enabled: boolean }) =>
      api.patch<Playbook>(path(workspace, playbook.id), { enabled }, { ifMatch: playbook.etag }),
    onSettled: () => client.invalidateQueries({ queryKey: playbookKeys.all(workspace) }),
  });
}

/** Deletes a playbook (refused with 409 while runs are in progress or rules run it). */
export function useDeletePlaybook(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (playbook: Playbook) => api.delete<void>(path(workspace, playbook.id)),
    onSuccess: () => client.invalidateQueries({ queryKey: playbookKeys.all(workspace) }),
  });
}

/** Makes a new secret webhook URL (the old one stops working); the answer is the only time it is shown. */
export function useRotateWebhook(workspace: string) {
  return useMutation({
    mutationFn: (playbook: string) => api.post<{ url: string }>(path(workspace, playbook, '/webhook')),
  });
}

/** Starts a run now (on nothing, or on an incident/alert/entity) and answers the queued run. */
export function useStartRun(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ playbook, ...body }: { playbook: string; incident?: number | string; inputs?: Record<string, unknown> }) =>
      api.post<Run>(path(workspace, playbook, '/runs'), body),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['runs', workspace] });
      void client.invalidateQueries({ queryKey: playbookKeys.all(workspace) });
    },
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { workspaceSchema } from '../../../src/workspaces/workspace-schemas.js';
import type { Grouping } from '../../../src/analytics-rules/grouping.js';
import { api, wsPath } from './client.js';
import { memberKeys, type Member } from './members.js';
import { meKey } from './session.js';
import type { Role } from './types.js';

/** A workspace with its settings and the caller's roles there. */
export type Workspace = z.output<typeof workspaceSchema>;
export type { Grouping };

/** Query keys: one workspace under `['workspace', ws]`; the administrators' list under `['workspaces']`. */
export const workspaceKeys = {
  one: (workspace: string) => ['workspace', workspace] as const,
  all: () => ['workspaces'] as const,
  list: (query: { all?: boolean; archived?: boolean }) => ['workspaces', query] as const,
};

/** One workspace and its settings (with its etag for If-Match). */
export function useWorkspace(workspace: string) {
  return useQuery({
    queryKey: workspaceKeys.one(workspace),
    queryFn: ({ signal }) => api.get<Workspace>(wsPath(workspace), { signal }),
  });
}

/** Workspaces: the caller's, or (administrators, `all`) every one, archived ones too with `archived`. */
export function useWorkspaceList(query: { all?: boolean; archived?: boolean }, enabled = true) {
  return useQuery({
    queryKey: workspaceKeys.list(query),
    queryFn: ({ signal }) => api.get<{ items: Workspace[] }>('/api/v1/workspaces', { query, signal }),
    enabled,
  });
}

/** Renames a workspace or changes its default grouping, sending its etag (412 when someone else changed it). */
export function useUpdateWorkspace(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { etag: string; name?: string; settings?: { defaultGrouping?: Grouping } }) => {
      const { etag, ...changes } = input;
      return api.patch<Workspace>(wsPath(workspace), changes, { ifMatch: etag });
    },
    onSuccess: (updated) => {
      client.setQueryData(workspaceKeys.one(workspace), updated);
      void client.invalidateQueries({ queryKey: workspaceKeys.all() });
      void client.invalidateQueries({ queryKey: meKey });
    },
  });
}

/** Creates a workspace (administrators); its first Owner is the caller. */
export function useCreateWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; name: string }) => api.post<Workspace>('/api/v1/workspaces', input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: workspaceKeys.all() });
      void client.invalidateQueries({ queryKey: meKey });
    },
  });
}

/** Archives (read-only, out of lists) or brings back a workspace (administrators). */
export function useSetArchived() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ workspace, archived }: { workspace: string; archived: boolean }) =>
      api.post<Workspace>(wsPath(workspace, archived ? '/archive' : '/unarchive')),
    onSuccess: (updated) => {
      void client.invalidateQueries({ queryKey: workspaceKeys.one(updated.id) });
      void client.invalidateQueries({ queryKey: workspaceKeys.all() });
      void client.invalidateQueries({ queryKey: meKey });
    },
  });
}

/** Every member of a workspace (users, then groups) with their roles. */
export function useMembers(workspace: string, enabled = true) {
  return useQuery({
    queryKey: memberKeys.search(workspace, ''),
    queryFn: ({ signal }) => api.get<{ items: Member[] }>(wsPath(workspace, '/members'), { query: { q: '' }, signal }),
    enabled,
  });
}

/** How a member is named when granting roles: by id, or a user's email, or a group's name. */
export interface PrincipalInput {
  type: 'user' | 'group';
  id?: string;
  email?: string;
  name?: string;
}

/** Sets exactly these roles for a user or group (adds them when new; an empty list removes them). */
export function useSetMemberRoles(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PrincipalInput & { roles: Role[] }) => api.put<{ items: Member[] }>(wsPath(workspace, '/members'), input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: memberKeys.all(workspace) });
      void client.invalidateQueries({ queryKey: meKey });
    },
  });
}

/** Removes a user or group from the workspace. */
export function useRemoveMember(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (member: { type: 'user' | 'group'; id: string }) =>
      api.delete<void>(wsPath(workspace, `/members/${member.type}/${encodeURIComponent(member.id)}`)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: memberKeys.all(workspace) });
      void client.invalidateQueries({ queryKey: meKey });
    },
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { groupSchema } from '../../../src/users/user-schemas.js';
import { api } from './client.js';

/** A group of users, with its members. */
export type Group = z.output<typeof groupSchema>;

/** Query keys: every group query sits under `['groups']`. */
export const groupKeys = { all: () => ['groups'] as const };

const groupPath = (group: string, rest = '') => `/api/v1/groups/${encodeURIComponent(group)}${rest}`;

/** Every group with its members (administrators). */
export function useGroups(enabled = true) {
  return useQuery({
    queryKey: groupKeys.all(),
    queryFn: ({ signal }) => api.get<{ items: Group[] }>('/api/v1/groups', { signal }),
    enabled,
  });
}

/** Creates a group. */
export function useCreateGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; description: string }) => api.post<Group>('/api/v1/groups', input),
    onSuccess: () => client.invalidateQueries({ queryKey: groupKeys.all() }),
  });
}

/** Renames a group or changes its description, sending its etag. */
export function useUpdateGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ group, changes }: { group: Group; changes: { name?: string; description?: string } }) =>
      api.patch<Group>(groupPath(group.id), changes, { ifMatch: group.etag }),
    onSuccess: () => client.invalidateQueries({ queryKey: groupKeys.all() }),
  });
}

/** Deletes a group with its memberships and roles. */
export function useDeleteGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (group: Group) => api.delete<void>(groupPath(group.id)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: groupKeys.all() });
      void client.invalidateQueries({ queryKey: ['members'] });
    },
  });
}

/** Adds a user to a group, or removes them. */
export function useGroupMembership() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ group, user, add }: { group: string; user: string; add: boolean }) =>
      add
        ? api.put<Group>(groupPath(group, `/members/${encodeURIComponent(user)}`))
        : api.delete<Group>(groupPath(group, `/members/${encodeURIComponent(user)}`)),
    onSuccess: () => client.invalidateQueries({ queryKey: groupKeys.all() }),
  });
}

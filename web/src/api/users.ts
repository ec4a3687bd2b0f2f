import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { userSchema } from '../../../src/users/user-schemas.js';
import { api, type Page } from './client.js';

/** A user as administrators see them. */
export type User = z.output<typeof userSchema>;

/** Query keys: every user query sits under `['users']`. */
export const userKeys = {
  all: () => ['users'] as const,
  list: (query: { q: string; cursor?: string }) => ['users', 'list', query] as const,
};

/** A page of users matching `q` (administrators). */
export function useUserPage(query: { q: string; cursor?: string; limit?: number }, enabled = true) {
  return useQuery({
    queryKey: userKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<User>>('/api/v1/users', { query: { limit: 50, ...query }, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** A user and their one-time password (null when a password was given). */
export interface UserWithPassword {
  user: User;
  oneTimePassword: string | null;
}

/** Creates a user; without a password the answer carries a generated one-time password. */
export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; displayName: string; isAdmin: boolean; password?: string }) =>
      api.post<UserWithPassword>('/api/v1/users', input),
    onSuccess: () => client.invalidateQueries({ queryKey: userKeys.all() }),
  });
}

/** Renames, disables/enables or promotes/demotes a user, sending their etag. */
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ user, changes }: { user: User; changes: { displayName?: string; disabled?: boolean; isAdmin?: boolean } }) =>
      api.patch<User>(`/api/v1/users/${encodeURIComponent(user.id)}`, changes, { ifMatch: user.etag }),
    onSuccess: () => client.invalidateQueries({ queryKey: userKeys.all() }),
  });
}

/** Gives a user a new generated one-time password and ends their sessions. */
export function useResetPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (user: User) => api.post<UserWithPassword>(`/api/v1/users/${encodeURIComponent(user.id)}/reset-password`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: userKeys.all() }),
  });
}

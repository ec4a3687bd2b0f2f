import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLE_PERMISSIONS } from '../../../src/auth/permissions.js';
import { api, ApiError, setCsrfToken } from './client.js';
import type { Me, Permission, UserSummary } from './types.js';

/** Query key of the signed-in caller. */
export const meKey = ['me'] as const;

/** The signed-in caller (null when signed out). Sets the CSRF token for later changes. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await api.get<Me>('/api/v1/auth/me');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Signs in with email and password; refreshes the caller. */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api.post<{ user: UserSummary; csrfToken: string; expiresAt: string }>('/api/v1/auth/login', input),
    onSuccess: async (result) => {
      setCsrfToken(result.csrfToken);
      client.clear();
      await client.invalidateQueries({ queryKey: meKey });
    },
  });
}

/** Signs out and forgets every cached answer. */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(meKey, null);
    },
  });
}

/** Replaces the caller's password (required after a one-time password). */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<void>('/api/v1/auth/password', input),
    onSuccess: () => client.invalidateQueries({ queryKey: meKey }),
  });
}

/** Whether the caller's roles in a workspace grant a permission (as the server checks it). */
export function can(me: Me | null | undefined, workspace: string, permission: Permission): boolean {
  if (!me) return false;
  const roles = me.workspaces.find((w) => w.id === workspace)?.roles ?? [];
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}

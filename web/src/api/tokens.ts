import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { tokenInfoSchema } from '../../../src/auth/auth-schemas.js';
import { api } from './client.js';
import type { Role } from './types.js';

/** An API token's facts (never its secret). */
export type ApiToken = z.output<typeof tokenInfoSchema>;
/** A token just created: its facts and, only now, its secret. */
export type NewApiToken = ApiToken & { token: string };

/** Which tokens to list: the caller's, a workspace's (Owners), or every one (administrators). */
export interface TokenQuery {
  workspace?: string;
  all?: boolean;
}

/** Query keys: every token query sits under `['tokens']`. */
export const tokenKeys = {
  all: () => ['tokens'] as const,
  list: (query: TokenQuery) => ['tokens', query] as const,
};

/** API tokens: the caller's own, or everyone's with `all`. */
export function useTokens(query: TokenQuery) {
  return useQuery({
    queryKey: tokenKeys.list(query),
    queryFn: ({ signal }) => api.get<{ items: ApiToken[] }>('/api/v1/auth/tokens', { query: { ...query }, signal }),
  });
}

/** Creates a token for a workspace and role; the answer carries the secret, shown only once. */
export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; workspace: string; role: Role; expiresAt?: string }) =>
      api.post<NewApiToken>('/api/v1/auth/tokens', input),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all() }),
  });
}

/** Revokes a token: it stops working at once. */
export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: ApiToken) => api.delete<ApiToken>(`/api/v1/auth/tokens/${encodeURIComponent(token.id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all() }),
  });
}

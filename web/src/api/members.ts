import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, wsPath } from './client.js';
import type { Role } from './types.js';

/** A workspace member: a user or a group, with its roles there. */
export interface Member {
  type: 'user' | 'group';
  id: string;
  name: string;
  email: string | null;
  roles: Role[];
}

/** Query key of a workspace's members (optionally those matching `q`). */
export const memberKeys = {
  all: (workspace: string) => ['members', workspace] as const,
  search: (workspace: string, q: string) => ['members', workspace, q] as const,
};

/** Members matching `q` (name or email), users first: the owner type-ahead. */
export function useMemberSearch(workspace: string, q: string) {
  return useQuery({
    queryKey: memberKeys.search(workspace, q),
    queryFn: ({ signal }) => api.get<{ items: Member[] }>(wsPath(workspace, '/members'), { query: { q }, signal }),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

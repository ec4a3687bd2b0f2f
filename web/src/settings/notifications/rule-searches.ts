import { useAnalyticsRuleList } from '../../api/analytics-rules.js';
import { useMemberSearch } from '../../api/members.js';
import { useWorkspaceId } from '../../app/workspace.js';
import type { PickedRef } from './rule-draft.js';

/** Type-ahead source: the workspace's member users matching the query. */
export function useUserRefs(query: string): { items: PickedRef[]; loading: boolean } {
  const found = useMemberSearch(useWorkspaceId(), query);
  const items = (found.data?.items ?? [])
    .filter((m) => m.type === 'user')
    .map((m) => ({ id: m.id, name: m.name, email: m.email ?? undefined }));
  return { items, loading: found.isFetching };
}

/** Type-ahead source: the groups holding a role in the workspace, matching the query. */
export function useGroupRefs(query: string): { items: PickedRef[]; loading: boolean } {
  const found = useMemberSearch(useWorkspaceId(), query);
  const items = (found.data?.items ?? []).filter((m) => m.type === 'group').map((m) => ({ id: m.id, name: m.name }));
  return { items, loading: found.isFetching };
}

/** Type-ahead source: the workspace's analytics rules matching the query. */
export function useAnalyticsRuleRefs(query: string): { items: PickedRef[]; loading: boolean } {
  const found = useAnalyticsRuleList(useWorkspaceId(), query);
  return { items: (found.data?.items ?? []).map((r) => ({ id: r.id, name: r.name })), loading: found.isFetching };
}

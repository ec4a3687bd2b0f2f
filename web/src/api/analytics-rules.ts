import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { analyticsRuleSchema } from '../../../src/analytics-rules/analytics-rule-schemas.js';
import { api, wsPath, type Page } from './client.js';

/** An analytics rule: a detection whose alerts are grouped into incidents by its settings. */
export type AnalyticsRule = z.output<typeof analyticsRuleSchema>;

/** Query keys: every analytics-rule query of a workspace sits under `['analyticsRules', ws]`. */
export const analyticsRuleKeys = {
  all: (workspace: string) => ['analyticsRules', workspace] as const,
  list: (workspace: string, q: string) => ['analyticsRules', workspace, 'list', q] as const,
  pages: (workspace: string, q: string) => ['analyticsRules', workspace, 'pages', q] as const,
  one: (workspace: string, rule: string) => ['analyticsRules', workspace, 'one', rule] as const,
};

/** The workspace's analytics rules by name, optionally matching `q` (pickers and filters). */
export function useAnalyticsRuleList(workspace: string, q = '') {
  return useQuery({
    queryKey: analyticsRuleKeys.list(workspace, q),
    queryFn: ({ signal }) =>
      api.get<Page<AnalyticsRule>>(wsPath(workspace, '/analytics-rules'), { query: { q, limit: 500 }, signal }),
    staleTime: 60_000,
  });
}

/**
 * Analytics rules whose names contain `text`, for pickers: the workspace's first 500 are filtered
 * in the browser; when the workspace has more, the server is asked (a moment after typing stops).
 */
export function useAnalyticsRuleMatches(workspace: string, text: string) {
  const all = useAnalyticsRuleList(workspace);
  const needle = text.trim();
  const [asked, setAsked] = useState(needle);
  useEffect(() => {
    const timer = setTimeout(() => setAsked(needle), 250);
    return () => clearTimeout(timer);
  }, [needle]);
  const truncated = Boolean(all.data?.nextCursor);
  const searched = useAnalyticsRuleList(workspace, truncated ? asked : '');
  const source = truncated && asked ? searched : all;
  const lower = needle.toLowerCase();
  const items = (source.data?.items ?? []).filter((r) => r.name.toLowerCase().includes(lower));
  return { all, items, truncated, isPending: all.isPending || source.isPending, error: all.error ?? searched.error };
}

/** The analytics rules settings list: by name, matching `q`, a page at a time ("Load more"). */
export function useAnalyticsRulePages(workspace: string, q: string, pageSize = 100) {
  return useInfiniteQuery({
    queryKey: analyticsRuleKeys.pages(workspace, q),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AnalyticsRule>>(wsPath(workspace, '/analytics-rules'), {
        query: { q: q || undefined, limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** The fields POST and PATCH /analytics-rules take. */
export interface AnalyticsRuleInput {
  name: string;
  description?: string;
  severity: AnalyticsRule['severity'];
  enabled: boolean;
  grouping: Partial<AnalyticsRule['grouping']>;
  playbookIds: string[];
}

/** One analytics rule by id. */
export function useAnalyticsRule(workspace: string, rule: string | undefined) {
  return useQuery({
    queryKey: analyticsRuleKeys.one(workspace, rule ?? ''),
    queryFn: ({ signal }) =>
      api.get<AnalyticsRule>(wsPath(workspace, `/analytics-rules/${encodeURIComponent(rule!)}`), { signal }),
    enabled: Boolean(rule),
  });
}

/** Creates an analytics rule. */
export function useCreateAnalyticsRule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: AnalyticsRuleInput) => api.post<AnalyticsRule>(wsPath(workspace, '/analytics-rules'), input),
    onSuccess: () => client.invalidateQueries({ queryKey: analyticsRuleKeys.all(workspace) }),
  });
}

/** Changes an analytics rule (name, severity, grouping, automated response …), sending its etag. */
export function useUpdateAnalyticsRule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ rule, changes }: { rule: Pick<AnalyticsRule, 'id' | 'etag'>; changes: Partial<AnalyticsRuleInput> }) =>
      api.patch<AnalyticsRule>(wsPath(workspace, `/analytics-rules/${encodeURIComponent(rule.id)}`), changes, {
        ifMatch: rule.etag,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: analyticsRuleKeys.all(workspace) }),
  });
}

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Action,
  ActionType,
  Condition,
  RuleInput,
  ruleSchema,
  Trigger,
} from '../../../src/automation-rules/rule-schemas.js';
import { api, wsPath, type Page, type QueryValue } from './client.js';

export type { Action, ActionType, Condition, RuleInput, Trigger };

/** An automation rule as the API returns it (actions as stored: owners resolved to ids and names). */
export type AutomationRule = z.output<typeof ruleSchema>;

/** What a dry run says: how many incidents it tried, which matched, and what it would change on each. */
export interface DryRunResult {
  evaluated: number;
  matched: number;
  items: {
    incident: { id: string; number: number; title: string };
    changes: { field: string; from: unknown; to: unknown }[];
    tasks: { title: string; description: string }[];
    playbooks: string[];
    results: unknown[];
  }[];
}

/** One run of a rule, from its run log: where it ran and what each action did. */
export interface RuleRun {
  id: string;
  incidentId: string | null;
  incidentNumber: number | null;
  alertId: string | null;
  trigger: Trigger;
  outcome: 'applied' | 'partial' | 'failed' | 'unchanged';
  results: { index: number; type: ActionType; outcome: 'applied' | 'unchanged' | 'failed' | 'pending'; detail?: string }[];
  createdAt: string;
}

/** A problem found while importing, by path in the imported document. */
export interface ImportProblem {
  path: string;
  message: string;
}

/** What an import did, rule by rule. */
export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  warnings: ImportProblem[];
  rules: {
    source: string;
    sourceId: string | null;
    name: string | null;
    outcome: 'created' | 'updated' | 'skipped';
    reason: string | null;
    rule: AutomationRule | null;
    notRepresentable: ImportProblem[];
    notes: ImportProblem[];
    unresolved: ImportProblem[];
  }[];
}

/** Query keys: every automation-rule query of a workspace sits under `['automationRules', ws]`. */
export const automationRuleKeys = {
  all: (workspace: string) => ['automationRules', workspace] as const,
  list: (workspace: string, query: Record<string, QueryValue>) => ['automationRules', workspace, 'list', query] as const,
  one: (workspace: string, rule: string) => ['automationRules', workspace, 'one', rule] as const,
  draft: (workspace: string, incident: number) => ['automationRules', workspace, 'draft', incident] as const,
  runs: (workspace: string, rule: string) => ['automationRules', workspace, 'runs', rule] as const,
};

/** The workspace's rules in execution order, filtered by trigger, action type, analytics rule or name. */
export function useAutomationRules(workspace: string, query: Record<string, QueryValue> = {}) {
  return useQuery({
    queryKey: automationRuleKeys.list(workspace, query),
    queryFn: ({ signal }) => api.get<{ items: AutomationRule[] }>(wsPath(workspace, '/automation-rules'), { query, signal }),
  });
}

/** One rule by id. */
export function useAutomationRule(workspace: string, rule: string | undefined) {
  return useQuery({
    queryKey: automationRuleKeys.one(workspace, rule ?? ''),
    queryFn: ({ signal }) =>
      api.get<AutomationRule>(wsPath(workspace, `/automation-rules/${encodeURIComponent(rule!)}`), { signal }),
    enabled: Boolean(rule),
  });
}

/** A rule's run log, newest first, a page at a time ("Load more"). */
export function useRuleRuns(workspace: string, rule: string, pageSize = 25) {
  return useInfiniteQuery({
    queryKey: automationRuleKeys.runs(workspace, rule),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<RuleRun>>(wsPath(workspace, `/automation-rules/${encodeURIComponent(rule)}/runs`), {
        query: { limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** A rule pre-filled from an incident (its analytics rules and entities) to edit and save. */
export function useRuleDraftFromIncident(workspace: string, incident: number | undefined) {
  return useQuery({
    queryKey: automationRuleKeys.draft(workspace, incident ?? 0),
    queryFn: ({ signal }) => api.get<RuleInput>(wsPath(workspace, `/incidents/${incident}/automation-rule-draft`), { signal }),
    enabled: incident !== undefined,
    staleTime: Infinity,
  });
}

function useInvalidateRules(workspace: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: automationRuleKeys.all(workspace) });
}

/** Creates a rule. */
export function useCreateAutomationRule(workspace: string) {
  const invalidate = useInvalidateRules(workspace);
  return useMutation({
    mutationFn: (input: RuleInput) => api.post<AutomationRule>(wsPath(workspace, '/automation-rules'), input),
    onSuccess: invalidate,
  });
}

/** Changes a rule, sending its etag (If-Match): a concurrent change answers 412. */
export function useUpdateAutomationRule(workspace: string) {
  const invalidate = useInvalidateRules(workspace);
  return useMutation({
    mutationFn: ({ rule, changes }: { rule: Pick<AutomationRule, 'id' | 'etag'>; changes: Partial<RuleInput> }) =>
      api.patch<AutomationRule>(wsPath(workspace, `/automation-rules/${encodeURIComponent(rule.id)}`), changes, {
        ifMatch: rule.etag,
      }),
    onSuccess: invalidate,
  });
}

/** Deletes a rule. */
export function useDeleteAutomationRule(workspace: string) {
  const invalidate = useInvalidateRules(workspace);
  return useMutation({
    mutationFn: (rule: string) => api.delete<void>(wsPath(workspace, `/automation-rules/${encodeURIComponent(rule)}`)),
    onSuccess: invalidate,
  });
}

/** Sets the execution order: the listed rules run first, in that order. */
export function useReorderAutomationRules(workspace: string) {
  const invalidate = useInvalidateRules(workspace);
  return useMutation({
    mutationFn: (ids: string[]) => api.post<{ items: AutomationRule[] }>(wsPath(workspace, '/automation-rules/reorder'), { ids }),
    onSettled: invalidate,
  });
}

/** Imports rules from a Sentinel (or Vigil) JSON document. */
export function useImportAutomationRules(workspace: string) {
  const invalidate = useInvalidateRules(workspace);
  return useMutation({
    mutationFn: (input: { document: unknown; mode: 'create' | 'upsert' }) =>
      api.post<ImportReport>(wsPath(workspace, '/automation-rules/import'), input),
    onSuccess: invalidate,
  });
}

/** Downloads the workspace's rules in Sentinel's REST list shape or as Vigil definitions. */
export function exportAutomationRules(workspace: string, format: 'sentinel' | 'vigil') {
  return api.get<{ value: unknown[]; notRepresentable?: (ImportProblem & { rule: string })[] }>(
    wsPath(workspace, '/automation-rules/export'),
    { query: { format } },
  );
}

/** Dry run of a draft rule on the workspace's newest incidents: nothing is changed. */
export function useDryRun(workspace: string) {
  return useMutation({
    mutationFn: (rule: RuleInput) => api.post<DryRunResult>(wsPath(workspace, '/automation-rules/test'), { rule, limit: 200 }),
  });
}

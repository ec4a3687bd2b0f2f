import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  NotificationDelivery,
  NotificationRule,
  NotificationRuleCreate,
  TestSendResult,
  UpdateKind,
} from '../../../src/notifications/notification-schemas.js';
import { api, wsPath, type Page } from './client.js';

export type { NotificationDelivery, NotificationRule, TestSendResult, UpdateKind };
/** What the create form sends (the API fills in defaults). */
export type NotificationRuleInput = NotificationRuleCreate;

/** The kinds of incident update a rule can mail about (the server's UPDATE_KINDS). */
export const UPDATE_KINDS = ['status', 'severity', 'owner', 'alerts', 'comments'] as const satisfies readonly UpdateKind[];
/** The largest `digestAfter` the API accepts. */
export const MAX_DIGEST_AFTER = 100;

/** Query keys: every notification-rule query of a workspace sits under `['notificationRules', ws]`. */
export const notificationRuleKeys = {
  all: (workspace: string) => ['notificationRules', workspace] as const,
  deliveries: (workspace: string, rule: string, status: string) =>
    ['notificationRules', workspace, 'deliveries', rule, status] as const,
};

const rulePath = (workspace: string, rule = '', rest = '') =>
  wsPath(workspace, `/notification-rules${rule ? `/${encodeURIComponent(rule)}` : ''}${rest}`);

/** The workspace's email notification rules. */
export function useNotificationRules(workspace: string) {
  return useQuery({
    queryKey: notificationRuleKeys.all(workspace),
    queryFn: ({ signal }) => api.get<{ items: NotificationRule[] }>(rulePath(workspace), { signal }),
  });
}

/** Creates a rule. */
export function useCreateNotificationRule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NotificationRuleInput) => api.post<NotificationRule>(rulePath(workspace), input),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationRuleKeys.all(workspace) }),
  });
}

/** Changes a rule (triggers, filters and recipients are replaced whole), sending its etag. */
export function useUpdateNotificationRule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ rule, changes }: { rule: NotificationRule; changes: Partial<NotificationRuleInput> }) =>
      api.patch<NotificationRule>(rulePath(workspace, rule.id), changes, { ifMatch: rule.etag }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationRuleKeys.all(workspace) }),
  });
}

/** Deletes a rule. */
export function useDeleteNotificationRule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (rule: NotificationRule) => api.delete<void>(rulePath(workspace, rule.id)),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationRuleKeys.all(workspace) }),
  });
}

/** Sends a sample email to each recipient now; the answer has one result per recipient. */
export function useTestNotificationRule(workspace: string) {
  return useMutation({
    mutationFn: (rule: NotificationRule) => api.post<TestSendResult>(rulePath(workspace, rule.id, '/test')),
  });
}

/** A page of a rule's delivery log, newest first, optionally of one status. */
export function useNotificationDeliveries(workspace: string, rule: string, status: string, cursor?: string) {
  return useQuery({
    queryKey: [...notificationRuleKeys.deliveries(workspace, rule, status), cursor ?? ''],
    queryFn: ({ signal }) =>
      api.get<Page<NotificationDelivery>>(rulePath(workspace, rule, '/deliveries'), {
        query: { status, cursor, limit: 50 },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  WebhookCreate,
  WebhookSubscription,
  WebhookTestResult,
  WebhookWithSecret,
} from '../../../src/webhooks/webhook-schemas.js';
import type { DeliveryView } from '../../../src/events/delivery-log.js';
import { api, wsPath, type Page } from './client.js';

export type { WebhookSubscription, WebhookTestResult, WebhookWithSecret };
/** One delivery of an event to a subscription. */
export type WebhookDelivery = DeliveryView;
/** What the create form sends. */
export type WebhookInput = Omit<WebhookCreate, 'secret'>;

/** Query keys: every webhook query of a workspace sits under `['webhooks', ws]`. */
export const webhookKeys = {
  all: (workspace: string) => ['webhooks', workspace] as const,
  deliveries: (workspace: string, webhook: string, status: string) =>
    ['webhooks', workspace, 'deliveries', webhook, status] as const,
};

const hookPath = (workspace: string, webhook = '', rest = '') =>
  wsPath(workspace, `/webhook-subscriptions${webhook ? `/${encodeURIComponent(webhook)}` : ''}${rest}`);

/** The workspace's webhook subscriptions. */
export function useWebhooks(workspace: string) {
  return useQuery({
    queryKey: webhookKeys.all(workspace),
    queryFn: ({ signal }) => api.get<{ items: WebhookSubscription[] }>(hookPath(workspace), { signal }),
  });
}

/** Subscribes a URL; the answer carries the signing secret, shown only once. */
export function useCreateWebhook(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: WebhookInput) => api.post<WebhookWithSecret>(hookPath(workspace), input),
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all(workspace) }),
  });
}

/** Changes a subscription (name, description, URL, events, enabled), sending its etag. */
export function useUpdateWebhook(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ webhook, changes }: { webhook: WebhookSubscription; changes: Partial<WebhookInput> }) =>
      api.patch<WebhookSubscription>(hookPath(workspace, webhook.id), changes, { ifMatch: webhook.etag }),
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all(workspace) }),
  });
}

/** Deletes a subscription (its delivery log stays 30 days). */
export function useDeleteWebhook(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (webhook: WebhookSubscription) => api.delete<void>(hookPath(workspace, webhook.id), { ifMatch: webhook.etag }),
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all(workspace) }),
  });
}

/** Replaces the signing secret; the answer carries the new one, shown only once. */
export function useRotateWebhookSecret(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (webhook: WebhookSubscription) => api.post<WebhookWithSecret>(hookPath(workspace, webhook.id, '/rotate-secret')),
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all(workspace) }),
  });
}

/** Sends a signed `ping` now and reports the answer. */
export function useTestWebhook(workspace: string) {
  return useMutation({
    mutationFn: (webhook: WebhookSubscription) => api.post<WebhookTestResult>(hookPath(workspace, webhook.id, '/test')),
  });
}

/** A page of a subscription's delivery log, newest first, optionally of one status. */
export function useWebhookDeliveries(workspace: string, webhook: string, status: string, cursor?: string) {
  return useQuery({
    queryKey: [...webhookKeys.deliveries(workspace, webhook, status), cursor ?? ''],
    queryFn: ({ signal }) =>
      api.get<Page<WebhookDelivery>>(hookPath(workspace, webhook, '/deliveries'), {
        query: { status, cursor, limit: 50 },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** Sends an ended delivery's body again, as a new delivery. */
export function useRedeliver(workspace: string, webhook: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (delivery: WebhookDelivery) =>
      api.post<WebhookDelivery>(hookPath(workspace, webhook, `/deliveries/${encodeURIComponent(delivery.id)}/redeliver`)),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhooks', workspace, 'deliveries', webhook] }),
  });
}

import type { Command } from 'commander';
import type { DeliveryView } from '../../events/delivery-log.js';
import type { WebhookSubscription, WebhookTestResult, WebhookWithSecret } from '../../webhooks/webhook-schemas.js';
import type { Client } from '../client.js';
import { deliveryLimit, fields, output, shortTime, table } from '../format.js';

const enc = encodeURIComponent;
const base = (client: Client) => `/api/v1/workspaces/${enc(client.workspace)}/webhook-subscriptions`;
const collect = (value: string, previous: string[] = []) => [...previous, value];

type WithClient = (run: (client: Client, json: boolean) => Promise<void>) => () => Promise<void>;

async function listWebhooks(client: Client, json: boolean): Promise<void> {
  const body = (await client.request('GET', base(client))).body as { items: WebhookSubscription[] };
  output(json, body, () =>
    body.items.length === 0
      ? 'No webhooks.'
      : table(body.items, [
          { heading: 'Name', value: (w) => w.name, max: 40 },
          { heading: 'State', value: (w) => (w.enabled ? 'enabled' : 'disabled') },
          { heading: 'URL', value: (w) => w.url, max: 60 },
          { heading: 'Events', value: (w) => w.events, max: 80 },
        ]),
  );
}

/** Prints a subscription with its signing secret, which the server shows only this once. */
function printWithSecret(json: boolean, hook: WebhookWithSecret, verb: string): void {
  output(json, hook, () =>
    [
      `${verb} webhook "${hook.name}" (${hook.id}).`,
      fields([
        ['url', hook.url],
        ['events', hook.events],
        ['enabled', hook.enabled],
        ['secret', hook.secret],
      ]),
      'The signing secret is shown only now: store it where the receiver verifies X-Vigil-Signature.',
    ].join('\n'),
  );
}

async function createWebhook(
  client: Client,
  options: { name: string; endpoint: string; event?: string[]; secret?: string; description?: string; disabled?: boolean },
  json: boolean,
): Promise<void> {
  const body = {
    name: options.name,
    url: options.endpoint,
    events: options.event ?? [],
    ...(options.description !== undefined && { description: options.description }),
    ...(options.secret !== undefined && { secret: options.secret }),
    enabled: !options.disabled,
  };
  const hook = (await client.request('POST', base(client), body)).body as WebhookWithSecret;
  printWithSecret(json, hook, 'Created');
}

async function setEnabled(client: Client, ref: string, enabled: boolean, json: boolean): Promise<void> {
  const current = (await client.request('GET', `${base(client)}/${enc(ref)}`)).body as WebhookSubscription;
  const hook = (await client.request('PATCH', `${base(client)}/${enc(current.id)}`, { enabled }, { 'if-match': current.etag }))
    .body as WebhookSubscription;
  output(json, hook, () => `Webhook "${hook.name}" is ${hook.enabled ? 'enabled' : 'disabled'}.`);
}

async function deleteWebhook(client: Client, ref: string, json: boolean): Promise<void> {
  const current = (await client.request('GET', `${base(client)}/${enc(ref)}`)).body as WebhookSubscription;
  await client.request('DELETE', `${base(client)}/${enc(current.id)}`);
  output(json, { deleted: current.id, name: current.name }, () => `Deleted webhook "${current.name}".`);
}

async function testWebhook(client: Client, ref: string, json: boolean): Promise<void> {
  const result = (await client.request('POST', `${base(client)}/${enc(ref)}/test`)).body as WebhookTestResult;
  output(json, result, () =>
    result.delivered
      ? `Delivered: HTTP ${result.responseCode} in ${Math.round(result.durationMs)} ms.`
      : `Not delivered${result.responseCode ? ` (HTTP ${result.responseCode})` : ''}: ${result.error ?? 'no answer'}.`,
  );
  if (!result.delivered) process.exitCode = 1;
}

async function listDeliveries(client: Client, ref: string, options: { status?: string; limit?: string }, json: boolean) {
  const query = new URLSearchParams({ limit: String(deliveryLimit(options.limit)) });
  if (options.status) query.set('status', options.status);
  const body = (await client.request('GET', `${base(client)}/${enc(ref)}/deliveries?${query}`)).body as {
    items: DeliveryView[];
  };
  output(json, body, () =>
    body.items.length === 0
      ? 'No deliveries.'
      : table(body.items, [
          { heading: 'When', value: (d) => shortTime(d.createdAt) },
          { heading: 'Event', value: (d) => d.eventType },
          { heading: 'Status', value: (d) => d.status },
          { heading: 'Attempts', value: (d) => d.attempts },
          { heading: 'HTTP', value: (d) => d.responseCode ?? '' },
          { heading: 'Error', value: (d) => d.lastError ?? '', max: 80 },
        ]),
  );
}

async function rotateSecret(client: Client, ref: string, json: boolean): Promise<void> {
  const hook = (await client.request('POST', `${base(client)}/${enc(ref)}/rotate-secret`)).body as WebhookWithSecret;
  printWithSecret(json, hook, 'Rotated the secret of');
}

/** `vigil webhooks …`: outbound webhook subscriptions, their test ping and delivery logs. */
export function registerWebhookCommands(program: Command, withClient: WithClient): void {
  const webhooks = program
    .command('webhooks')
    .description('outbound webhooks: signed POSTs when incidents, tasks and runs change');
  webhooks
    .command('list')
    .description('the subscriptions: state, URL and events')
    .action(() => withClient((client, json) => listWebhooks(client, json))());
  webhooks
    .command('create')
    .description('subscribe a URL to events; prints the signing secret (shown only once)')
    .requiredOption('--name <name>', 'a name for the subscription')
    .requiredOption('--endpoint <url>', 'the receiver, an absolute http(s) URL')
    .option('--event <type>', 'an event to send, e.g. incident.created (repeat)', collect)
    .option('--description <text>', 'what the receiver does')
    .option('--secret <secret>', 'the signing secret (16–256 characters; generated when left out)')
    .option('--disabled', 'create it disabled')
    .action((options) => withClient((client, json) => createWebhook(client, options, json))());
  webhooks
    .command('enable <webhook>')
    .description('start sending to a subscription (by name or id)')
    .action((ref: string) => withClient((client, json) => setEnabled(client, ref, true, json))());
  webhooks
    .command('disable <webhook>')
    .description('stop sending to a subscription (by name or id)')
    .action((ref: string) => withClient((client, json) => setEnabled(client, ref, false, json))());
  webhooks
    .command('delete <webhook>')
    .description('delete a subscription (by name or id)')
    .action((ref: string) => withClient((client, json) => deleteWebhook(client, ref, json))());
  webhooks
    .command('test <webhook>')
    .description('send a signed ping now and print the answer; exit code 1 when not delivered')
    .action((ref: string) => withClient((client, json) => testWebhook(client, ref, json))());
  webhooks
    .command('deliveries <webhook>')
    .description('the delivery log, newest first')
    .option('--status <status>', 'only pending, sending, sent, failed or skipped')
    .option('--limit <n>', 'how many (1–500, default 50)')
    .action((ref: string, options) => withClient((client, json) => listDeliveries(client, ref, options, json))());
  webhooks
    .command('rotate-secret <webhook>')
    .description('replace the signing secret; prints the new one (shown only once)')
    .action((ref: string) => withClient((client, json) => rotateSecret(client, ref, json))());
}

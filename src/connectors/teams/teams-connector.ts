import { z } from 'zod';
import type { ConnectorDefinition, ResolvedConnection } from '../action.js';
import {
  allowlistSetting,
  parseConnection,
  policyFor,
  redactingTest,
  requireConnection,
  withSecretRedaction,
  type ConnectorAction,
  type ConnectorDeps,
} from '../connector-kit.js';
import { checkEgress } from '../outbound/egress-guard.js';
import { postWebhook, webhookError } from '../outbound/webhook.js';
import { adaptiveCard, cardMessage } from './adaptive-card.js';

/** The Microsoft Teams connector: Adaptive Card messages through a Workflows (or incoming webhook) URL. */

const teamsSettings = z.object({ allowlist: allowlistSetting });
const teamsSecrets = z.object({
  webhookUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .describe('Workflows "When a Teams webhook request is received" URL, or an incoming webhook URL.'),
});

const teamsMessageInput = z
  .object({
    title: z.string().max(1000).optional(),
    text: z.string().max(20_000).optional().describe('Markdown text.'),
    facts: z
      .array(z.object({ name: z.string().max(200), value: z.string().max(2000) }))
      .max(50)
      .optional(),
    links: z
      .array(z.object({ title: z.string().max(200), url: z.url({ protocol: /^https?$/ }) }))
      .max(6)
      .optional()
      .describe('Buttons opening URLs (e.g. the incident).'),
    card: z
      .looseObject({ type: z.literal('AdaptiveCard') })
      .optional()
      .describe('A raw Adaptive Card, sent instead of title/text/facts/links.'),
  })
  .refine((m) => !!(m.title || m.text || m.facts?.length || m.card), { message: 'give a title, text, facts or a card' });
const teamsMessageOutput = z.object({ delivered: z.boolean(), status: z.number().int() });

function teamsConnection(connection: ResolvedConnection) {
  return {
    settings: parseConnection(teamsSettings, connection.settings, 'settings', connection),
    secrets: parseConnection(teamsSecrets, connection.secrets, 'secrets', connection),
  };
}

/** Legacy incoming webhooks answer 200 with an error text instead of `1` when Teams refused the message. */
const legacyFailure = (text: string) => text !== '' && text !== '1' && /error|fail/i.test(text);

function postMessageAction(
  deps: ConnectorDeps,
): ConnectorAction<z.output<typeof teamsMessageInput>, z.output<typeof teamsMessageOutput>> {
  return {
    id: 'teams.postMessage',
    title: 'Post a Teams message',
    description:
      'Posts an Adaptive Card (built from a title, text, facts and links, or given as is) to a Teams channel or chat through a Workflows or incoming webhook URL.',
    input: teamsMessageInput,
    output: teamsMessageOutput,
    effect: 'write',
    async run(context, input) {
      const { settings, secrets } = teamsConnection(requireConnection(context, 'teams'));
      const card = input.card ?? adaptiveCard(input);
      const answer = await postWebhook(policyFor(deps, settings), secrets.webhookUrl, cardMessage(card), context.signal);
      if (answer.status < 200 || answer.status >= 300) throw webhookError('Microsoft Teams', secrets.webhookUrl, answer);
      if (legacyFailure(answer.text))
        throw webhookError('Microsoft Teams', secrets.webhookUrl, { ...answer, status: /429/.test(answer.text) ? 429 : 502 });
      return { delivered: true, status: answer.status };
    },
  };
}

/** Teams cannot check a webhook without posting to it: the test checks the URL's host resolves and is allowed. */
async function testTeams(deps: ConnectorDeps, connection: ResolvedConnection): Promise<void> {
  const { settings, secrets } = teamsConnection(connection);
  const url = new URL(secrets.webhookUrl);
  await checkEgress(policyFor(deps, settings), url.hostname, Number(url.port) || (url.protocol === 'https:' ? 443 : 80));
}

/** Creates the Teams connector. */
export function createTeamsConnector(deps: ConnectorDeps): ConnectorDefinition {
  return {
    id: 'teams',
    title: 'Microsoft Teams',
    description: 'Posts Adaptive Card messages to Microsoft Teams through a Workflows or incoming webhook URL.',
    connection: 'required',
    settings: teamsSettings,
    secrets: teamsSecrets,
    test: redactingTest((connection) => testTeams(deps, connection)),
    actions: [withSecretRedaction(postMessageAction(deps))],
  };
}

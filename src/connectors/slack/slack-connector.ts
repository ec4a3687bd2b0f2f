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
import { postWebhook, webhookError } from '../outbound/webhook.js';

/** The Slack connector: messages through an incoming webhook (the webhook URL is the secret). */

const slackSettings = z.object({ allowlist: allowlistSetting });
const slackSecrets = z.object({
  webhookUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .describe('Incoming webhook URL (https://hooks.slack.com/services/…).'),
});

const slackMessageInput = z
  .object({
    text: z
      .string()
      .max(40_000)
      .optional()
      .describe('Message text (mrkdwn); also the notification fallback when blocks are given.'),
    blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional().describe('Block Kit blocks.'),
  })
  .refine((m) => !!m.text || (m.blocks?.length ?? 0) > 0, { message: 'give text or blocks' });
const slackMessageOutput = z.object({ delivered: z.boolean() });

const HINTS: Record<string, string> = {
  invalid_token: 'the webhook was revoked; create a new one',
  no_service: 'the webhook URL is wrong or was removed',
  channel_is_archived: 'the channel is archived',
  action_prohibited: 'an admin restricted posting to this channel',
  invalid_payload: 'Slack could not read the message (check blocks)',
};

function slackConnection(connection: ResolvedConnection) {
  return {
    settings: parseConnection(slackSettings, connection.settings, 'settings', connection),
    secrets: parseConnection(slackSecrets, connection.secrets, 'secrets', connection),
  };
}

function postMessageAction(
  deps: ConnectorDeps,
): ConnectorAction<z.output<typeof slackMessageInput>, z.output<typeof slackMessageOutput>> {
  return {
    id: 'slack.postMessage',
    title: 'Post a Slack message',
    description: "Posts a message (text and/or Block Kit blocks) to the channel of the connection's incoming webhook.",
    input: slackMessageInput,
    output: slackMessageOutput,
    effect: 'write',
    async run(context, input) {
      const { settings, secrets } = slackConnection(requireConnection(context, 'slack'));
      const payload = { ...(input.text ? { text: input.text } : {}), ...(input.blocks ? { blocks: input.blocks } : {}) };
      const answer = await postWebhook(policyFor(deps, settings), secrets.webhookUrl, payload, context.signal);
      if (answer.status !== 200) throw webhookError('Slack', secrets.webhookUrl, answer, HINTS[answer.text]);
      return { delivered: true };
    },
  };
}

/** Posting an empty message makes Slack answer `no_text` without posting: proof the webhook exists. */
async function testSlack(deps: ConnectorDeps, connection: ResolvedConnection, signal: AbortSignal): Promise<void> {
  const { settings, secrets } = slackConnection(connection);
  const answer = await postWebhook(policyFor(deps, settings), secrets.webhookUrl, {}, signal);
  const alive =
    answer.status === 400 && ['no_text', 'invalid_payload', 'missing_text_or_fallback_or_attachments'].includes(answer.text);
  if (!alive)
    throw webhookError('Slack', secrets.webhookUrl, answer, HINTS[answer.text] ?? 'the webhook did not answer as expected');
}

/** Creates the Slack connector. */
export function createSlackConnector(deps: ConnectorDeps): ConnectorDefinition {
  return {
    id: 'slack',
    title: 'Slack',
    description: 'Posts messages to a Slack channel through an incoming webhook.',
    connection: 'required',
    settings: slackSettings,
    secrets: slackSecrets,
    test: redactingTest((connection, signal) => testSlack(deps, connection, signal)),
    actions: [withSecretRedaction(postMessageAction(deps))],
  };
}

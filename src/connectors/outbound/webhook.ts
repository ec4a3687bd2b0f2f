import { ActionError } from '../action.js';
import { redactError } from '../connector-kit.js';
import type { EgressPolicy } from './egress-guard.js';
import { sendRequest } from './http-client.js';
import { bodyExcerpt, isRetryableStatus } from './response-body.js';

/**
 * Posting JSON to a chat webhook whose URL is itself the secret (Slack, Teams): messages name
 * only the service and the host, and the URL's path and query are redacted from any error.
 */

/** What the webhook answered. */
export interface WebhookAnswer {
  status: number;
  text: string;
}

/** POSTs a JSON payload; returns any answer (callers decide what is success), throws on network errors. */
export async function postWebhook(
  policy: EgressPolicy,
  webhookUrl: string,
  payload: unknown,
  signal?: AbortSignal,
): Promise<WebhookAnswer> {
  const url = new URL(webhookUrl);
  const hidden = [`${url.pathname}${url.search}`, url.pathname, url.search].filter((s) => s.length > 1);
  try {
    const response = await sendRequest(policy, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal,
      maxBytes: 64 * 1024,
      maxRedirects: 0,
    });
    return { status: response.status, text: response.body.toString('utf8').trim() };
  } catch (error) {
    throw redactError(error, hidden);
  }
}

/** The error for a refused post: the service, its status and answer, the host, and a hint. */
export function webhookError(service: string, webhookUrl: string, answer: WebhookAnswer, hint?: string): ActionError {
  const excerpt = bodyExcerpt(answer.text, 200);
  return new ActionError(
    `${service} refused the message (HTTP ${answer.status}${excerpt ? ` ${excerpt}` : ''}) at ${new URL(webhookUrl).host}${hint ? `: ${hint}` : '.'}`,
    isRetryableStatus(answer.status),
    { status: answer.status, body: excerpt },
  );
}

import { json, startFakeServer, text, type FakeReply, type FakeServer, type RecordedRequest } from './fake-server.js';

/**
 * A fake Microsoft Teams webhook: a Power Automate Workflows URL (`mode: 'workflow'`, answers
 * 202 Accepted with an empty body) or a legacy Office 365 incoming webhook (`mode: 'connector'`,
 * answers 200 with body `1`). Accepts `{ type: 'message', attachments: [adaptive card] }` (and,
 * for connectors, MessageCards); 400 for anything else, 404 for another path.
 */

/** The running fake and its knobs. */
export interface TeamsFake extends FakeServer {
  webhookUrl: string;
  /** Payloads it accepted. */
  messages: Record<string, unknown>[];
  /** Answers every post with this status until undefined. */
  failWith(status: number | undefined): void;
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

function validPayload(payload: unknown, mode: 'workflow' | 'connector'): boolean {
  if (!payload || typeof payload !== 'object') return false;
  const p = payload as {
    type?: unknown;
    attachments?: { contentType?: unknown; content?: { type?: unknown } }[];
    '@type'?: unknown;
  };
  if (mode === 'connector' && p['@type'] === 'MessageCard') return true;
  return (
    p.type === 'message' &&
    Array.isArray(p.attachments) &&
    p.attachments.length > 0 &&
    p.attachments.every((a) => a.contentType === ADAPTIVE && a.content?.type === 'AdaptiveCard')
  );
}

/** Starts the fake on 127.0.0.1 and a random port. */
export async function startTeamsFake(options: { mode?: 'workflow' | 'connector' } = {}): Promise<TeamsFake> {
  const mode = options.mode ?? 'workflow';
  const path =
    mode === 'workflow'
      ? '/workflows/a1b2c3/triggers/manual/paths/invoke'
      : '/webhookb2/11111111-2222-3333-4444-555555555555@tenant/IncomingWebhook/abcdef/0123';
  const messages: Record<string, unknown>[] = [];
  let failure: number | undefined;

  const handler = (request: RecordedRequest): FakeReply => {
    if (request.method !== 'POST' || request.path !== path)
      return json(404, { error: { code: 'NotFound', message: 'Not found' } });
    if (failure !== undefined) return json(failure, { error: { code: 'Failure', message: `The fake answered ${failure}` } });
    if (!validPayload(request.json, mode))
      return json(400, { error: { code: 'InvalidRequestContent', message: 'The input body for trigger is not valid.' } });
    messages.push(request.json as Record<string, unknown>);
    return mode === 'workflow' ? { status: 202 } : text(200, '1');
  };

  const server = await startFakeServer(handler);
  return {
    ...server,
    webhookUrl: `${server.url}${path}${mode === 'workflow' ? '?api-version=2016-06-01&sig=fakeSignature123' : ''}`,
    messages,
    failWith: (status) => void (failure = status),
  };
}

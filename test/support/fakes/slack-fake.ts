import { startFakeServer, text, type FakeReply, type FakeServer, type RecordedRequest } from './fake-server.js';

/**
 * A fake Slack incoming webhook: `POST {path}` with a JSON payload answers `200 ok` (text/plain),
 * and like Slack `400 invalid_payload` for non-JSON, `400 no_text` without text or blocks,
 * `404 no_service` for another path, `403 invalid_token` when told to.
 */

/** The running fake and its knobs. */
export interface SlackFake extends FakeServer {
  /** The full webhook URL (the secret a connection holds). */
  webhookUrl: string;
  /** Payloads of the messages it accepted. */
  messages: Record<string, unknown>[];
  /** Answers every post with this status and Slack's error word (e.g. 410 `channel_is_archived`) until undefined. */
  failWith(status: number | undefined, error?: string): void;
}

/** Starts the fake on 127.0.0.1 and a random port. */
export async function startSlackFake(options: { path?: string } = {}): Promise<SlackFake> {
  const path = options.path ?? '/services/T0000FAKE/B0000FAKE/fakeWebhookToken123456';
  const messages: Record<string, unknown>[] = [];
  let failure: { status: number; error: string } | undefined;

  const handler = (request: RecordedRequest): FakeReply => {
    if (request.method !== 'POST' || request.path !== path) return text(404, 'no_service');
    if (failure) return text(failure.status, failure.error);
    const payload = request.json as Record<string, unknown> | undefined;
    if (!payload || typeof payload !== 'object') return text(400, 'invalid_payload');
    if (!payload.text && !Array.isArray(payload.blocks)) return text(400, 'no_text');
    messages.push(payload);
    return text(200, 'ok');
  };

  const server = await startFakeServer(handler);
  return {
    ...server,
    webhookUrl: `${server.url}${path}`,
    messages,
    failWith: (status, error = 'invalid_token') => void (failure = status === undefined ? undefined : { status, error }),
  };
}

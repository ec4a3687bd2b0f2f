import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeActionContext, fakeConnection, startSlackFake, type SlackFake } from '../../../test/support/fakes/index.js';
import type { ActionError, ResolvedConnection } from '../action.js';
import { createTokenCache } from '../outbound/oauth2.js';
import { createSlackConnector } from './slack-connector.js';

let slack: SlackFake;
beforeAll(async () => {
  slack = await startSlackFake();
});
afterAll(() => slack.close());
beforeEach(() => slack.failWith(undefined));

const connector = createSlackConnector({ egress: {}, tokens: createTokenCache() });
const action = connector.actions[0]!;
const connection = (webhookUrl = slack.webhookUrl, allowlist = ['127.0.0.1']) =>
  fakeConnection('slack', { allowlist }, { webhookUrl });
const run = async (input: Record<string, unknown>, conn: ResolvedConnection = connection()) =>
  action.output.parse(await action.run(fakeActionContext({ connection: conn }), action.input.parse(input)));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as ActionError,
  );

describe('slack.postMessage', () => {
  it('posts text and blocks to the webhook', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Incident 42* is High' } }];
    expect(await run({ text: 'Incident 42', blocks })).toEqual({ delivered: true });
    expect(slack.messages.at(-1)).toEqual({ text: 'Incident 42', blocks });
    expect(slack.requests.at(-1)!.headers['content-type']).toBe('application/json');
  });

  it('needs text or blocks', () => {
    expect(action.input.safeParse({}).error?.issues[0]?.message).toBe('give text or blocks');
  });

  it('explains Slack’s refusals without showing the webhook URL', async () => {
    slack.failWith(410, 'channel_is_archived');
    const archived = await failure(run({ text: 'x' }));
    expect(archived!.message).toBe(
      `Slack refused the message (HTTP 410 channel_is_archived) at 127.0.0.1:${slack.port}: the channel is archived`,
    );
    slack.failWith(503, 'service_unavailable');
    expect((await failure(run({ text: 'x' })))!.retryable).toBe(true);
    slack.failWith(undefined);
    const wrongPath = `${slack.url}/services/T0000FAKE/B0000FAKE/wrongToken999`;
    const missing = await failure(run({ text: 'x' }, connection(wrongPath)));
    expect(missing!.message).toContain('HTTP 404 no_service');
    expect(missing!.message).not.toContain('wrongToken999');
  });

  it('refuses the fake without an allowlist, without showing the webhook URL', async () => {
    const error = await failure(run({ text: 'x' }, connection(slack.webhookUrl, [])));
    expect(error!.message).toMatch(/Refused to connect to 127\.0\.0\.1.*loopback/);
    expect(error!.message).not.toContain('fakeWebhookToken');
  });

  it('tests a connection without posting a message', async () => {
    const before = slack.messages.length;
    const signal = new AbortController().signal;
    await connector.test!(connection(), signal);
    expect(slack.messages.length).toBe(before);
    await expect(connector.test!(connection(`${slack.url}/services/x/y/z`), signal)).rejects.toThrow(/no_service/);
  });
});

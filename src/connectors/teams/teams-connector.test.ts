import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeActionContext, fakeConnection, startTeamsFake, type TeamsFake } from '../../../test/support/fakes/index.js';
import type { ActionError, ResolvedConnection } from '../action.js';
import { createTokenCache } from '../outbound/oauth2.js';
import { createTeamsConnector } from './teams-connector.js';

let workflow: TeamsFake;
let legacy: TeamsFake;
beforeAll(async () => {
  [workflow, legacy] = await Promise.all([startTeamsFake(), startTeamsFake({ mode: 'connector' })]);
});
afterAll(() => Promise.all([workflow.close(), legacy.close()]));

const connector = createTeamsConnector({ egress: {}, tokens: createTokenCache() });
const action = connector.actions[0]!;
const connection = (webhookUrl: string, allowlist = ['127.0.0.1']) => fakeConnection('teams', { allowlist }, { webhookUrl });
const run = async (input: Record<string, unknown>, conn: ResolvedConnection) =>
  action.output.parse(await action.run(fakeActionContext({ connection: conn }), action.input.parse(input)));

describe('teams.postMessage', () => {
  it('builds an Adaptive Card from title, text, facts and links (Workflows URL: 202)', async () => {
    const out = await run(
      {
        title: 'Incident 42: Impossible travel',
        text: 'Severity **High**',
        facts: [{ name: 'Owner', value: 'alice' }],
        links: [{ title: 'Open incident', url: 'https://vigil.example/incidents/42' }],
      },
      connection(workflow.webhookUrl),
    );
    expect(out).toEqual({ delivered: true, status: 202 });
    const message = workflow.messages.at(-1) as {
      type: string;
      attachments: { contentType: string; content: Record<string, unknown> }[];
    };
    expect(message.type).toBe('message');
    expect(message.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(message.attachments[0]!.content).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: 'Incident 42: Impossible travel', weight: 'Bolder' },
        { type: 'TextBlock', text: 'Severity **High**' },
        { type: 'FactSet', facts: [{ title: 'Owner', value: 'alice' }] },
      ],
      actions: [{ type: 'Action.OpenUrl', title: 'Open incident', url: 'https://vigil.example/incidents/42' }],
    });
  });

  it('sends a raw card as is, to a legacy incoming webhook (200 "1")', async () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'raw' }] };
    expect(await run({ card }, connection(legacy.webhookUrl))).toEqual({ delivered: true, status: 200 });
    expect((legacy.messages.at(-1) as { attachments: { content: unknown }[] }).attachments[0]!.content).toEqual(card);
  });

  it('reports failures with the status, without the signed URL', async () => {
    workflow.failWith(429);
    const error = await run({ text: 'x' }, connection(workflow.webhookUrl)).catch((e: ActionError) => e);
    workflow.failWith(undefined);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(
      new RegExp(`^Microsoft Teams refused the message \\(HTTP 429 .*\\) at 127\\.0\\.0\\.1:${workflow.port}\\.$`),
    );
    expect((error as Error).message).not.toContain('fakeSignature');
    expect(action.input.safeParse({ facts: [] }).error?.issues[0]?.message).toBe('give a title, text, facts or a card');
    expect(action.input.safeParse({ text: 'x', links: [{ title: 'x', url: 'javascript:alert(1)' }] }).success).toBe(false);
  });

  it('keeps the webhook URL out of network errors', async () => {
    const closed = await startTeamsFake();
    await closed.close();
    const error = (await run({ text: 'x' }, connection(closed.webhookUrl)).catch((e: ActionError) => e)) as ActionError;
    expect(error.message).toMatch(new RegExp(`^POST http://127\\.0\\.0\\.1:${closed.port}\\[redacted\\] failed: .*ECONNREFUSED`));
    expect(error.retryable).toBe(true);
  });

  it('refuses the fake without an allowlist, also in the connection test', async () => {
    await expect(run({ text: 'x' }, connection(workflow.webhookUrl, []))).rejects.toThrow(
      /Refused to connect to 127\.0\.0\.1.*loopback/,
    );
    const signal = new AbortController().signal;
    await expect(connector.test!(connection(workflow.webhookUrl, []), signal)).rejects.toThrow(/loopback/);
    const before = workflow.requests.length;
    await connector.test!(connection(workflow.webhookUrl), signal);
    expect(workflow.requests.length).toBe(before);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeActionContext, fakeConnection, startSmtpSink, type SmtpSink } from '../../../test/support/fakes/index.js';
import type { ActionError, ResolvedConnection } from '../action.js';
import { createTokenCache } from '../outbound/oauth2.js';
import { createEmailConnector, idempotentMessageId } from './email-connector.js';

let sink: SmtpSink;
let authSink: SmtpSink;
beforeAll(async () => {
  [sink, authSink] = await Promise.all([
    startSmtpSink({ rejectRecipients: ['nobody@example.com'] }),
    startSmtpSink({ auth: { user: 'mailer', pass: 'smtp-pass-123' } }),
  ]);
});
afterAll(() => Promise.all([sink.close(), authSink.close()]));
beforeEach(() => sink.failWith(undefined));

const connector = createEmailConnector({ egress: {}, tokens: createTokenCache() });
const action = connector.actions[0]!;
const connection = (target: SmtpSink, secrets: Record<string, string> = {}, settings: Record<string, unknown> = {}) =>
  fakeConnection(
    'email',
    { host: target.host, port: target.port, from: 'Vigil SOC <soc@vigil.example>', allowlist: ['127.0.0.1'], ...settings },
    secrets,
  );
const run = async (input: Record<string, unknown>, conn: ResolvedConnection = connection(sink), stepKey = 'notify') =>
  action.output.parse(await action.run(fakeActionContext({ connection: conn, stepKey }), action.input.parse(input)));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as ActionError,
  );

describe('email.send', () => {
  it('sends text and HTML over real SMTP, with a Message-ID derived from the idempotency key', async () => {
    const before = sink.messages.length;
    const out = await run({
      to: ['alice@example.com', 'bob@example.com'],
      cc: ['carol@example.com'],
      bcc: ['audit@example.com'],
      replyTo: 'soc@example.com',
      subject: 'Incident 42 — räumen Sie auf',
      text: 'Plain body with ünïcödé and a long line '.repeat(5),
      html: '<p>HTML <b>body</b></p>',
    });
    const expectedId = idempotentMessageId('run_test1:notify', 'soc@vigil.example');
    expect(out).toMatchObject({ messageId: expectedId, rejected: [] });
    expect(out.accepted).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com', 'audit@example.com']);
    expect(out.response).toMatch(/^250/);
    const [message] = await sink.waitForMessages(before + 1).then((m) => m.slice(before));
    expect(message).toMatchObject({
      from: 'soc@vigil.example',
      to: ['alice@example.com', 'bob@example.com'],
      cc: ['carol@example.com'],
      subject: 'Incident 42 — räumen Sie auf',
      text: 'Plain body with ünïcödé and a long line '.repeat(5),
      html: '<p>HTML <b>body</b></p>',
      messageId: expectedId,
    });
    expect(message!.headers['x-vigil-idempotency-key']).toBe('run_test1:notify');
    expect(message!.headers['reply-to']).toBe('soc@example.com');
    expect(message!.envelope.to).toContain('audit@example.com');
    expect(message!.raw).not.toMatch(/^bcc:/im);
  });

  it('uses the same Message-ID when the same step is sent again, another for another step', async () => {
    const first = await run({ to: ['a@example.com'], subject: 's', text: 't' }, connection(sink), 'same');
    const retry = await run({ to: ['a@example.com'], subject: 's', text: 't' }, connection(sink), 'same');
    const other = await run({ to: ['a@example.com'], subject: 's', text: 't' }, connection(sink), 'other');
    expect(retry.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(first.messageId).toMatch(/^<vigil\.[A-Za-z0-9_-]+@vigil\.example>$/);
  });

  it('reports rejected recipients, and fails when all are rejected', async () => {
    const out = await run({ to: ['ok@example.com', 'nobody@example.com'], subject: 's', text: 't' });
    expect(out).toMatchObject({ accepted: ['ok@example.com'], rejected: ['nobody@example.com'] });
    const error = await failure(run({ to: ['nobody@example.com'], subject: 's', text: 't' }));
    expect(error!.message).toMatch(new RegExp(`^The SMTP server 127\\.0\\.0\\.1:${sink.port} refused the recipients: .*550`));
    expect(error!.retryable).toBe(false);
  });

  it('marks temporary server refusals (4xx) retryable and permanent ones (5xx) not', async () => {
    sink.failWith(451);
    expect(await failure(run({ to: ['a@example.com'], subject: 's', text: 't' }))).toMatchObject({ retryable: true });
    sink.failWith(554);
    const permanent = await failure(run({ to: ['a@example.com'], subject: 's', text: 't' }));
    expect(permanent!.message).toMatch(/failed: 554 The sink was told to fail with 554/);
    expect(permanent!.retryable).toBe(false);
  });

  it('logs in with the connection’s secrets; a wrong password fails without showing it', async () => {
    const before = authSink.messages.length;
    await run(
      { to: ['a@example.com'], subject: 'auth', text: 't' },
      connection(authSink, { user: 'mailer', password: 'smtp-pass-123' }),
    );
    expect(authSink.logins).toContain('mailer');
    expect(authSink.messages.length).toBe(before + 1);
    const error = await failure(
      run(
        { to: ['a@example.com'], subject: 's', text: 't' },
        connection(authSink, { user: 'mailer', password: 'wrong-pass-999' }),
      ),
    );
    expect(error!.message).toMatch(/rejected the login: 535/);
    expect(error!.message).not.toContain('wrong-pass-999');
    expect(error!.retryable).toBe(false);
  });

  it('refuses an SMTP host on 127.0.0.1 or localhost without an allowlist', async () => {
    for (const host of ['127.0.0.1', 'localhost', '2130706433']) {
      const conn = connection(sink, {}, { host, allowlist: [] });
      await expect(run({ to: ['a@example.com'], subject: 's', text: 't' }, conn)).rejects.toThrow(
        /^Refused to connect to .*loopback address/,
      );
    }
  });

  it('needs text or html, and plain addresses', () => {
    expect(action.input.safeParse({ to: ['a@example.com'], subject: 's' }).error?.issues[0]?.message).toBe(
      'give text, html or both',
    );
    expect(action.input.safeParse({ to: ['a@example.com\r\nBcc: x@evil.example'], subject: 's', text: 't' }).success).toBe(false);
  });
});

describe('email connection', () => {
  it('tests the connection with an SMTP handshake and login', async () => {
    const signal = new AbortController().signal;
    await connector.test!(connection(authSink, { user: 'mailer', password: 'smtp-pass-123' }), signal);
    await expect(connector.test!(connection(authSink, { user: 'mailer', password: 'nope-nope' }), signal)).rejects.toThrow(
      /rejected the login/,
    );
  });
});

import type { ConnectorDefinition, ResolvedConnection } from '../action.js';
import {
  parseConnection,
  redactingTest,
  requireConnection,
  withSecretRedaction,
  type ConnectorAction,
  type ConnectorDeps,
} from '../connector-kit.js';
import {
  emailSecrets,
  emailSettings,
  sendEmailInput,
  sendEmailOutput,
  type SendEmailInput,
  type SendEmailOutput,
} from './email-schemas.js';
import { smtpError, smtpTransport, withTransport } from './smtp-transport.js';

/** The email connector: messages through an SMTP server, with nodemailer. */

function emailConnection(connection: ResolvedConnection) {
  return {
    settings: parseConnection(emailSettings, connection.settings, 'settings', connection),
    secrets: parseConnection(emailSecrets, connection.secrets, 'secrets', connection),
  };
}

/** A Message-ID derived from the idempotency key, so the same step sent twice carries the same id. */
export function idempotentMessageId(idempotencyKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'vigil.invalid';
  return `<vigil.${Buffer.from(idempotencyKey).toString('base64url')}@${domain}>`;
}

const addressText = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);

function sendEmailAction(deps: ConnectorDeps): ConnectorAction<SendEmailInput, SendEmailOutput> {
  return {
    id: 'email.send',
    title: 'Send an email',
    description:
      'Sends an email (text and/or HTML) through the connection’s SMTP server. The Message-ID and an X-Vigil-Idempotency-Key header identify the step, so a repeated send can be recognised.',
    input: sendEmailInput,
    output: sendEmailOutput,
    effect: 'write',
    async run(context, input) {
      const { settings, secrets } = emailConnection(requireConnection(context, 'email'));
      const messageId = idempotentMessageId(context.idempotencyKey, settings.from);
      try {
        const transport = await smtpTransport(deps, settings, secrets);
        const info = await withTransport(transport, context.signal, (t) =>
          t.sendMail({
            from: settings.from,
            ...input,
            messageId,
            headers: { 'X-Vigil-Idempotency-Key': context.idempotencyKey },
          }),
        );
        return {
          messageId: info.messageId ?? messageId,
          accepted: info.accepted.map(addressText),
          rejected: info.rejected.map(addressText),
          response: info.response,
        };
      } catch (error) {
        throw smtpError(error, settings);
      }
    },
  };
}

/** Connects, says EHLO, upgrades to TLS when asked, logs in: nodemailer's verify(). */
async function testEmail(deps: ConnectorDeps, connection: ResolvedConnection, signal: AbortSignal): Promise<void> {
  const { settings, secrets } = emailConnection(connection);
  try {
    await withTransport(await smtpTransport(deps, settings, secrets), signal, (t) => t.verify());
  } catch (error) {
    throw smtpError(error, settings);
  }
}

/** Creates the email connector. */
export function createEmailConnector(deps: ConnectorDeps): ConnectorDefinition {
  return {
    id: 'email',
    title: 'Email (SMTP)',
    description: 'Sends email through an SMTP server (TLS or STARTTLS, optional login).',
    connection: 'required',
    settings: emailSettings,
    secrets: emailSecrets,
    test: redactingTest((connection, signal) => testEmail(deps, connection, signal)),
    actions: [withSecretRedaction(sendEmailAction(deps))],
  };
}

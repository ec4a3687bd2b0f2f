import net from 'node:net';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { ActionError } from '../action.js';
import { policyFor, type ConnectorDeps } from '../connector-kit.js';
import { checkEgress } from '../outbound/egress-guard.js';
import type { EmailSecrets, EmailSettings } from './email-schemas.js';

/** SMTP transports pinned to the address the egress guard checked, with errors in the user's words. */

const RETRYABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET']);

/** A nodemailer SMTP transport for the connection; resolves and checks the host first. */
export async function smtpTransport(
  deps: ConnectorDeps,
  settings: EmailSettings,
  secrets: EmailSecrets,
): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
  const target = await checkEgress(policyFor(deps, settings), settings.host, settings.port);
  if (secrets.user && !secrets.password) throw new ActionError('The connection has an SMTP user but no password.');
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: target.address,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTLS,
    // Certificates and SNI are checked against the host name, although we connect to the checked address.
    tls: net.isIP(settings.host) ? {} : { servername: settings.host },
    auth: secrets.user ? { user: secrets.user, pass: secrets.password } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

/** Runs an SMTP operation, closing the transport when it ends or the signal aborts. */
export async function withTransport<T>(
  transport: Transporter<SMTPTransport.SentMessageInfo>,
  signal: AbortSignal | undefined,
  operation: (t: Transporter<SMTPTransport.SentMessageInfo>) => Promise<T>,
): Promise<T> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      transport.close();
      reject(new ActionError('Sending the email was cancelled (the step timed out or the run was cancelled).', true));
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([operation(transport), aborted]);
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    transport.close();
  }
}

/** An ActionError for a nodemailer error: what the server said, retryable for 4xx answers and network failures. */
export function smtpError(error: unknown, settings: EmailSettings): ActionError {
  if (error instanceof ActionError) return error;
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const server = `${settings.host}:${settings.port}`;
  const retryable =
    (e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500) || RETRYABLE_CODES.has(e.code ?? '');
  const said = e.response ?? e.message ?? String(error);
  const what = e.code === 'EAUTH' ? 'rejected the login' : e.code === 'EENVELOPE' ? 'refused the recipients' : 'failed';
  return new ActionError(`The SMTP server ${server} ${what}: ${said}`, retryable, { code: e.code, responseCode: e.responseCode });
}

import type { Transporter } from 'nodemailer';

/** An email to send. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/** Sends the server's own email (approval requests, notifications) through the configured SMTP server. */
export interface Mailer {
  /** Whether an SMTP server is configured; without one, nothing is sent and callers say so. */
  readonly configured: boolean;
  send(message: MailMessage): Promise<{ messageId: string; accepted: string[]; rejected: string[] }>;
  close(): void;
}

/** Options: `SMTP_URL` (smtp:// or smtps://user:password@host:port) and the From address. */
export interface MailerOptions {
  url?: string;
  from: string;
  /** Connection, greeting and socket timeouts in milliseconds (nodemailer's defaults otherwise: up to 10 minutes). */
  timeoutMs?: { connection: number; greeting: number; socket: number };
}

/** Builds the mailer over nodemailer's SMTP transport (one pooled connection set per process). */
export function createMailer(options: MailerOptions): Mailer {
  if (!options.url) {
    return {
      configured: false,
      async send() {
        throw new Error('No SMTP server is configured (set SMTP_URL), so Vigil cannot send email');
      },
      close() {},
    };
  }
  const { timeoutMs } = options;
  // nodemailer loads with the first email, not at every start.
  let transport: Transporter | undefined;
  const openTransport = async (): Promise<Transporter> => {
    const { default: nodemailer } = await import('nodemailer');
    transport ??= timeoutMs
      ? nodemailer.createTransport({
          url: options.url,
          connectionTimeout: timeoutMs.connection,
          greetingTimeout: timeoutMs.greeting,
          socketTimeout: timeoutMs.socket,
        })
      : nodemailer.createTransport(options.url);
    return transport;
  };
  return {
    configured: true,
    async send(message) {
      const open = await openTransport();
      const info = await open.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
      });
      const list = (v: unknown) =>
        Array.isArray(v) ? v.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address))) : [];
      return { messageId: info.messageId, accepted: list(info.accepted), rejected: list(info.rejected) };
    },
    close() {
      transport?.close();
    },
  };
}

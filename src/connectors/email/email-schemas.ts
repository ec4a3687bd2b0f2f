import { z } from 'zod';
import { allowlistSetting } from '../connector-kit.js';

/** Settings, secrets, input and output of the email (SMTP) connector. */

/** The SMTP server and the sender. */
export const emailSettings = z.object({
  host: z.string().min(1).max(253).describe('SMTP server host name or address.'),
  port: z.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false).describe('TLS from the start (usually port 465); otherwise STARTTLS when offered.'),
  requireTLS: z.boolean().default(false).describe('Refuse to send unless the server upgrades to TLS with STARTTLS.'),
  from: z.string().min(3).max(320).describe('Sender, e.g. "Vigil <soc@example.com>".'),
  allowlist: allowlistSetting,
});

/** Parsed settings. */
export type EmailSettings = z.output<typeof emailSettings>;

/** SMTP login, when the server needs one. */
export const emailSecrets = z.object({
  user: z.string().optional().describe('SMTP user name.'),
  password: z.string().optional().describe('SMTP password.'),
});

/** Parsed secrets. */
export type EmailSecrets = z.output<typeof emailSecrets>;

const addresses = z.array(z.email()).max(100);

/** Input of `email.send`. */
export const sendEmailInput = z
  .object({
    to: addresses.min(1),
    cc: addresses.optional(),
    bcc: addresses.optional(),
    replyTo: z.email().optional(),
    subject: z.string().min(1).max(998),
    text: z.string().max(1_000_000).optional(),
    html: z.string().max(1_000_000).optional(),
  })
  .refine((m) => m.text !== undefined || m.html !== undefined, { message: 'give text, html or both' });

/** Output of `email.send`. */
export const sendEmailOutput = z.object({
  messageId: z
    .string()
    .describe('The Message-ID header; derived from the step’s idempotency key, so a repeated send is recognisable.'),
  accepted: z.array(z.string()),
  rejected: z.array(z.string()),
  response: z.string().describe("The server's last answer."),
});

/** Parsed input. */
export type SendEmailInput = z.output<typeof sendEmailInput>;
/** The output. */
export type SendEmailOutput = z.output<typeof sendEmailOutput>;

import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime-parse.js';

/**
 * A real SMTP server (the smtp-server package) on 127.0.0.1 and a random port that keeps what it
 * receives: the envelope and the parsed message. Plain SMTP (no STARTTLS), optional AUTH PLAIN/LOGIN.
 */

/** A message the sink accepted. */
export interface SinkMessage extends ParsedMail {
  envelope: { from: string; to: string[] };
  raw: string;
}

/** The running sink and its knobs. */
export interface SmtpSink {
  host: string;
  port: number;
  messages: SinkMessage[];
  /** Logins it accepted (user names). */
  logins: string[];
  /** Makes the server refuse the next messages at DATA with this SMTP code (e.g. 451, 554) until undefined. */
  failWith(code: number | undefined): void;
  /** Resolves once `count` messages have arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

/** Options: required credentials (auth off when absent) and recipients it rejects at RCPT TO (550). */
export interface SmtpSinkOptions {
  auth?: { user: string; pass: string };
  rejectRecipients?: string[];
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Starts the sink. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const logins: string[] = [];
  let failure: number | undefined;

  const onAuth = (
    auth: SMTPServerAuthentication,
    _session: SMTPServerSession,
    callback: (e: Error | null | undefined, r?: { user: string }) => void,
  ) => {
    if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
      logins.push(auth.username!);
      callback(null, { user: auth.username! });
    } else callback(smtpError(535, 'Authentication credentials invalid'));
  };

  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth,
    onRcptTo(address, _session, callback) {
      const rejected = options.rejectRecipients?.includes(address.address.toLowerCase());
      callback(rejected ? smtpError(550, `No such user here: ${address.address}`) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failure !== undefined) return callback(smtpError(failure, `The sink was told to fail with ${failure}`));
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        messages.push({ ...parseMail(raw), envelope, raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  const waitForMessages = async (count: number, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (messages.length < count) {
      if (Date.now() > deadline)
        throw new Error(`The SMTP sink received ${messages.length} of ${count} messages in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return messages;
  };

  return {
    host: '127.0.0.1',
    port,
    messages,
    logins,
    failWith: (code) => void (failure = code),
    waitForMessages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

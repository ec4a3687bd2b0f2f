import type { Delivery, DeliveryChannel, DeliveryOutcome } from '../events/index.js';
import type { Mailer } from '../mail/mailer.js';
import type { Storage } from '../storage/database.js';
import { findWorkspace } from '../workspaces/index.js';
import { EMAIL_CHANNEL, type EmailPayload } from './notification-consumer.js';
import { digestEmail } from './notification-digest-email.js';
import type { RenderedEmail } from './notification-email.js';
import { findNotificationRuleById, lockNotificationRule } from './notification-repository.js';
import { closeWindow } from './notification-throttle.js';

/** Attempts per email: with the default 30 s first retry, doubling, the last is about an hour after the first. */
const MAX_ATTEMPTS = 8;
/** Lines a digest lists; the rest are counted. */
const DIGEST_MAX_LINES = 500;

/** Network-level failures worth retrying (the server was unreachable or dropped the connection). */
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'EPROTOCOL']);

/**
 * What a failed send means: a permanent 5xx refusal of the message or its recipient fails the
 * delivery at once; a 4xx answer, a refused login (fixable by correcting SMTP_URL) and network
 * errors are retried with backoff.
 */
export function smtpOutcome(error: unknown): DeliveryOutcome {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const said = (e.response ?? e.message ?? String(error)).slice(0, 1000);
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (code === null) {
    const what = NETWORK_CODES.has(e.code ?? '') ? 'Could not reach the SMTP server' : 'Sending failed';
    return { status: 'retry', error: `${what}: ${said}` };
  }
  const message = `The SMTP server answered ${code}: ${said}`;
  if (code >= 500 && e.code !== 'EAUTH') return { status: 'failed', error: message, responseCode: code };
  return { status: 'retry', error: message, responseCode: code };
}

/**
 * The email channel: sends a delivery's rendered email, or assembles a digest when its window
 * ended, through the server's SMTP mailer. Emails of a rule deleted or disabled in the meantime
 * are skipped.
 */
export function createEmailChannel(deps: { storage: Storage; mailer: Mailer; publicUrl: string }): DeliveryChannel {
  const { storage, mailer } = deps;

  async function digestOf(
    delivery: Delivery,
    payload: Extract<EmailPayload, { kind: 'digest' }>,
    ruleName: string,
    digestAfter: number,
  ) {
    const { lines, total } = await storage.db.transaction().execute(async (trx) => {
      // The dispatcher holds the rule's row while it folds events into windows: closing waits for it.
      await lockNotificationRule(trx, storage.dialect, delivery.workspaceId, delivery.targetId);
      return closeWindow(
        trx,
        {
          workspaceId: delivery.workspaceId,
          ruleId: delivery.targetId,
          recipient: delivery.recipient!,
          windowStart: payload.windowStart,
        },
        DIGEST_MAX_LINES,
      );
    });
    if (total === 0) return null;
    const workspace = await findWorkspace(storage.db, delivery.workspaceId);
    return digestEmail({
      ruleName,
      workspaceName: workspace?.name ?? delivery.workspaceId,
      digestAfter,
      windowStart: payload.windowStart,
      windowEnd: payload.windowEnd,
      lines,
      total,
      queueUrl: `${deps.publicUrl}/w/${encodeURIComponent(delivery.workspaceId)}/incidents`,
    });
  }

  return {
    name: EMAIL_CHANNEL,
    maxAttempts: MAX_ATTEMPTS,
    async deliver(delivery) {
      if (!mailer.configured)
        return { status: 'failed', error: 'No SMTP server is configured (set SMTP_URL), so Vigil cannot send email' };
      const payload = delivery.payload as EmailPayload;
      const rule = await findNotificationRuleById(storage.db, delivery.workspaceId, delivery.targetId);
      if (!rule) return { status: 'skipped', error: 'The notification rule was deleted before the email was sent' };
      if (!rule.enabled) return { status: 'skipped', error: 'The notification rule was disabled before the email was sent' };
      let email: RenderedEmail & { headers?: Record<string, string> };
      if (payload.kind === 'message') email = payload;
      else if (payload.kind === 'digest') {
        const digest = await digestOf(delivery, payload, rule.name, rule.digestAfter);
        if (!digest) return { status: 'skipped', error: 'No event was folded into this digest' };
        email = { ...digest, headers: { 'Auto-Submitted': 'auto-generated', 'X-Vigil-Rule': rule.id } };
      } else return { status: 'failed', error: `Nothing to send for a ${String((payload as { kind?: unknown }).kind)} delivery` };
      try {
        const { subject, text, html, headers } = email;
        const info = await mailer.send({ to: [delivery.recipient!], subject, text, html, headers });
        return { status: 'sent', detail: `Accepted by the SMTP server as ${info.messageId}` };
      } catch (error) {
        return smtpOutcome(error);
      }
    },
  };
}

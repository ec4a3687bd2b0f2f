import type { MailMessage } from '../mail/mailer.js';
import { linkUrl } from './approval-links.js';
import type { ApprovalRecord } from './approval-repository.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const expiry = (a: ApprovalRecord) => `${new Date(a.expiresAt).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** The approval email: the request, one link per choice (each opens a confirmation page), the expiry and default. */
export function approvalEmail(approval: ApprovalRecord, publicUrl: string, token: string, recipient: string): MailMessage {
  const choices = approval.choices.map((choice) => ({ choice, url: linkUrl(publicUrl, token, choice) }));
  const text = [
    `The playbook "${approval.playbookName}" is waiting for your decision:`,
    '',
    approval.message,
    '',
    ...choices.map((c) => `${c.choice}: ${c.url}`),
    '',
    `If nobody answers by ${expiry(approval)}, "${approval.defaultChoice}" applies.`,
    'Each link asks you to confirm before anything happens, and works once.',
  ].join('\n');
  const html = [
    `<p>The playbook <strong>${escapeHtml(approval.playbookName)}</strong> is waiting for your decision:</p>`,
    `<blockquote style="white-space:pre-wrap">${escapeHtml(approval.message)}</blockquote>`,
    `<p>${choices
      .map(
        (c) =>
          `<a href="${escapeHtml(c.url)}" style="display:inline-block;padding:8px 16px;margin-right:8px;border:1px solid #444;border-radius:4px;text-decoration:none">${escapeHtml(c.choice)}</a>`,
      )
      .join('')}</p>`,
    `<p>If nobody answers by ${escapeHtml(expiry(approval))}, <em>${escapeHtml(approval.defaultChoice)}</em> applies. Each link asks you to confirm before anything happens, and works once.</p>`,
  ].join('\n');
  return {
    to: [recipient],
    subject: `[Vigil] Approval needed: ${approval.playbookName}`,
    text,
    html,
    headers: { 'X-Vigil-Approval': approval.id },
  };
}

/** The chat message: the request and one link per choice (anyone in the channel can answer, once). */
export function chatText(approval: ApprovalRecord, publicUrl: string, token: string): string {
  return [
    `Approval needed: ${approval.playbookName}`,
    approval.message,
    approval.choices.map((choice) => `${choice}: ${linkUrl(publicUrl, token, choice)}`).join('\n'),
    `Default after ${expiry(approval)}: ${approval.defaultChoice}`,
  ].join('\n\n');
}

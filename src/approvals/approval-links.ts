import { createHmac } from 'node:crypto';

/**
 * Approval link tokens: an HMAC of the approval id and the recipient under the server's secret
 * key. Only their hashes are stored; the token can be derived again to re-send a notification
 * after a crash, and cannot be guessed without the key.
 */
export function linkToken(key: Buffer, approvalId: string, recipient: string): string {
  return createHmac('sha256', key).update(`approval-link:${approvalId}:${recipient.toLowerCase()}`).digest('base64url');
}

/** The page a link opens: it shows the request and asks to confirm (email scanners only GET). */
export function linkUrl(publicUrl: string, token: string, choice?: string): string {
  return `${publicUrl}/approve/${token}${choice === undefined ? '' : `?choice=${encodeURIComponent(choice)}`}`;
}

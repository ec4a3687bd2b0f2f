import { Badge } from '../ui/badges.js';

const TONE = { sent: 'ok', failed: 'bad', pending: 'warn', sending: 'warn', skipped: 'neutral' } as const;

/** A delivery's status (sent, pending, sending, failed, skipped), coloured. */
export function DeliveryStatus({ status }: { status: keyof typeof TONE }) {
  return <Badge tone={TONE[status]}>{status}</Badge>;
}

/** The statuses a delivery log can be filtered by. */
export const DELIVERY_STATUS_OPTIONS = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;

import type { Delivery } from '../events/index.js';
import { isoTime } from '../http/cursor.js';
import type { Incident } from '../incidents/index.js';
import type { EmailPayload } from './notification-consumer.js';
import type { NotificationDelivery } from './notification-schemas.js';

/** A delivery as the rule's log shows it. */
export function toNotificationDelivery(d: Delivery): NotificationDelivery {
  const payload = (d.payload ?? {}) as Partial<EmailPayload>;
  const subject =
    payload.kind === 'digest'
      ? 'Digest of the events folded in the rate-limit window'
      : 'subject' in payload
        ? (payload.subject ?? null)
        : null;
  const failedAttempt = d.status === 'failed' || ((d.status === 'pending' || d.status === 'sending') && d.attempts > 0);
  return {
    id: d.id,
    ruleId: d.targetId,
    recipient: d.recipient,
    eventId: d.eventId,
    eventType: d.eventType,
    incidentId: d.incidentId,
    subject,
    status: d.status,
    attempts: d.attempts,
    error: failedAttempt ? d.lastError : null,
    note: failedAttempt ? null : d.lastError,
    nextAttemptAt: isoTime(d.nextAttemptAt),
    createdAt: isoTime(d.createdAt),
    updatedAt: isoTime(d.updatedAt),
    sentAt: isoTime(d.sentAt),
  };
}

/** A made-up incident for the test email. */
export function sampleIncident(publicUrl: string, workspaceId: string, at: number): Incident {
  const time = isoTime(at);
  return {
    id: 'sample',
    number: 0,
    title: 'Sample incident: suspicious sign-in from an unfamiliar location',
    description: '',
    severity: 'High',
    status: 'New',
    owner: null,
    classification: null,
    classificationReason: null,
    classificationComment: null,
    determination: null,
    tags: [],
    systemTags: [],
    tactics: ['InitialAccess'],
    techniques: [],
    alertProductNames: ['Sample product'],
    analyticsRuleIds: [],
    firstActivityTime: time,
    lastActivityTime: time,
    alertCount: 1,
    commentCount: 0,
    taskCounts: { total: 0, completed: 0 },
    createdBy: { type: 'system', id: 'system', name: 'Vigil' },
    createdAt: time,
    updatedAt: time,
    closedAt: null,
    etag: '"1"',
    url: `${publicUrl}/w/${encodeURIComponent(workspaceId)}/incidents`,
  };
}

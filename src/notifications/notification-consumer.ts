import { listAlerts } from '../alerts/alert-repository.js';
import { findComment } from '../comments/comment-repository.js';
import { findEntitiesOfKind, listIncidentEntities } from '../entities/entity-repository.js';
import type { EventConsumer, NewDelivery, OutboxEvent } from '../events/index.js';
import { isoTime } from '../http/cursor.js';
import type { Incident, IncidentService } from '../incidents/index.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { findWorkspace } from '../workspaces/index.js';
import { incidentEmail, incidentSubject, whatHappened, type IncidentSummary } from './notification-email.js';
import { eventKinds, hostGroupsOf, matchesFilters, wantedKinds, type EventKind } from './notification-matching.js';
import { loadAudience } from './notification-recipients.js';
import { enabledRules, type NotificationRuleRecord } from './notification-repository.js';
import { openThrottle, pruneWindows } from './notification-throttle.js';

/** The delivery channel notification emails go through. */
export const EMAIL_CHANNEL = 'email';
/** The event type of a digest delivery in the log. */
export const DIGEST_EVENT_TYPE = 'notification.digest';

/** What a notification delivery carries: a rendered email, a folded event's subject, or a digest to assemble when due. */
export type EmailPayload =
  | { kind: 'message'; subject: string; text: string; html: string; headers: Record<string, string> }
  | { kind: 'folded'; subject: string }
  | { kind: 'digest'; windowStart: number; windowEnd: number };

const SUMMARY_ALERTS = 10;
const SUMMARY_ENTITIES = 20;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const KEEP_WINDOWS_MS = 24 * 60 * 60 * 1000;

interface Match {
  event: OutboxEvent;
  rule: NotificationRuleRecord;
  incident: Incident;
  kinds: EventKind[];
}

/** The email headers that let mail clients thread an incident's emails and filter Vigil's. */
function headersFor(rule: NotificationRuleRecord, incident: Incident): Record<string, string> {
  const thread = `<incident-${incident.id}@vigil>`;
  return {
    'Auto-Submitted': 'auto-generated',
    'X-Vigil-Rule': rule.id,
    'X-Vigil-Incident': String(incident.number),
    References: thread,
    'In-Reply-To': thread,
  };
}

/** Reads what an email shows beyond the incident (its comment, its summary), once per incident or comment. */
function mailContext(trx: Executor, workspaceId: string) {
  const summaries = new Map<string, Promise<IncidentSummary>>();
  const comments = new Map<string, Promise<{ author: string; message: string } | null>>();
  return {
    summary(incident: Incident): Promise<IncidentSummary> {
      let found = summaries.get(incident.id);
      if (!found) {
        found = (async () => {
          const alerts = await listAlerts(trx, { workspaceId, incidentId: incident.id }, { limit: SUMMARY_ALERTS });
          const entities = await listIncidentEntities(trx, workspaceId, incident.id, { limit: SUMMARY_ENTITIES });
          return {
            alerts: alerts
              .slice(0, SUMMARY_ALERTS)
              .map((a) => ({ title: a.title, severity: a.severity, productName: a.product_name, time: Number(a.alert_time) })),
            entities: entities.slice(0, SUMMARY_ENTITIES).map((e) => ({ kind: e.kind, name: e.name })),
            moreEntities: entities.length > SUMMARY_ENTITIES,
          };
        })();
        summaries.set(incident.id, found);
      }
      return found;
    },
    comment(event: OutboxEvent): Promise<{ author: string; message: string } | null> {
      if (event.action !== 'commentAdded' || !event.subjectId || !event.incidentId) return Promise.resolve(null);
      let found = comments.get(event.subjectId);
      if (!found) {
        found = findComment(trx, workspaceId, event.incidentId, event.subjectId).then((c) =>
          c ? { author: c.author_name, message: c.message } : null,
        );
        comments.set(event.subjectId, found);
      }
      return found;
    },
  };
}

/**
 * Matches committed events to the enabled notification rules and turns them into email
 * deliveries, in the dispatcher's transaction: filters are checked against the incident as it is
 * now, recipients are expanded to addresses, and the rate limit decides, per recipient and rule,
 * which are mailed at once and which are folded into the window's digest.
 */
export function createNotificationConsumer(deps: {
  dialect: Dialect;
  incidents: Pick<IncidentService, 'describe'>;
  now: () => number;
}): EventConsumer {
  const { dialect } = deps;
  let lastPrune = 0;

  async function matchesOf(trx: Executor, workspaceId: string, events: OutboxEvent[], rules: NotificationRuleRecord[]) {
    const incidentIds = [...new Set(events.map((e) => e.incidentId!))];
    const incidents = await deps.incidents.describe(trx, workspaceId, incidentIds);
    const hostGroups = new Map<string, string[]>();
    if (rules.some((r) => r.filters.hostGroups.length > 0)) {
      for (const host of await findEntitiesOfKind(trx, workspaceId, incidentIds, 'Host')) {
        hostGroups.set(host.incidentId, [...(hostGroups.get(host.incidentId) ?? []), ...hostGroupsOf(host.properties)]);
      }
    }
    const matches: Match[] = [];
    for (const event of events) {
      const incident = incidents.get(event.incidentId!);
      if (!incident) continue;
      const kinds = eventKinds(event);
      for (const rule of rules) {
        const wanted = wantedKinds(rule, kinds);
        if (wanted.length === 0 || !matchesFilters(rule.filters, incident, hostGroups.get(incident.id) ?? [])) continue;
        matches.push({ event, rule, incident, kinds: wanted });
      }
    }
    return matches;
  }

  async function fanOutWorkspace(trx: Executor, workspaceId: string, events: OutboxEvent[], now: number): Promise<NewDelivery[]> {
    const rules = await enabledRules(trx, workspaceId, dialect);
    if (rules.length === 0) return [];
    const matches = await matchesOf(trx, workspaceId, events, rules);
    if (matches.length === 0) return [];
    const matchedRules = [...new Map(matches.map((m) => [m.rule.id, m.rule])).values()];
    const audience = await loadAudience(
      trx,
      workspaceId,
      matchedRules.map((r) => r.recipients),
    );
    const addresses = new Map(matchedRules.map((r) => [r.id, audience.addressesOf(r.recipients).addresses]));
    const workspaceName = (await findWorkspace(trx, workspaceId))?.name ?? workspaceId;
    const throttle = await openThrottle(
      trx,
      dialect,
      workspaceId,
      matchedRules.map((r) => r.id),
      now,
    );
    const context = mailContext(trx, workspaceId);

    /** The deliveries of one matched event: an email per recipient, or a folded entry (and the window's digest). */
    async function deliveriesOf({ event, rule, incident, kinds }: Match): Promise<NewDelivery[]> {
      const base = { workspaceId, channel: EMAIL_CHANNEL, targetId: rule.id, eventId: event.id, incidentId: incident.id };
      const eventType = event.types[0] ?? 'incident.updated';
      const out: NewDelivery[] = [];
      let email: EmailPayload | undefined;
      for (const recipient of addresses.get(rule.id) ?? []) {
        const decision = throttle.take(rule, recipient);
        if (decision.send) {
          email ??= {
            kind: 'message',
            ...incidentEmail({
              ruleName: rule.name,
              workspaceName,
              incident,
              kinds,
              actor: event.actor,
              changes: event.changes,
              comment: await context.comment(event),
              summary: rule.includeSummary ? await context.summary(incident) : null,
            }),
            headers: headersFor(rule, incident),
          };
          out.push({ ...base, eventType, recipient, payload: email });
          continue;
        }
        const { window } = decision;
        const what = whatHappened(incident, kinds, event.changes);
        const { number, title, severity, status, url } = incident;
        throttle.fold(window, event.id, incident.id, { number, title, severity, status, what, url, at: event.at });
        out.push({
          ...base,
          eventType,
          recipient,
          status: 'skipped',
          note:
            `Rate limit: ${rule.digestAfter} emails to ${recipient} from this rule since ${isoTime(window.start)}; ` +
            `folded into the digest sent at ${isoTime(window.end)}`,
          payload: { kind: 'folded', subject: incidentSubject(incident, kinds, event.changes) } satisfies EmailPayload,
        });
        if (decision.firstFold) {
          out.push({
            ...base,
            incidentId: null,
            eventType: DIGEST_EVENT_TYPE,
            recipient,
            payload: { kind: 'digest', windowStart: window.start, windowEnd: window.end } satisfies EmailPayload,
            notBefore: window.end,
          });
        }
      }
      return out;
    }

    const deliveries: NewDelivery[] = [];
    for (const match of matches) deliveries.push(...(await deliveriesOf(match)));
    await throttle.save();
    return deliveries;
  }

  return {
    name: 'notifications',
    async fanOut(trx, workspaceId, events) {
      const now = deps.now();
      if (now - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = now;
        await pruneWindows(trx, now - KEEP_WINDOWS_MS);
      }
      const relevant = events.filter((event) => event.incidentId && eventKinds(event).length > 0);
      return relevant.length > 0 ? fanOutWorkspace(trx, workspaceId, relevant, now) : [];
    },
  };
}

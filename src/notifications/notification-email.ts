import type { FieldChange } from '../activity/activity-schemas.js';
import type { Actor } from '../common/actor.js';
import type { Incident } from '../incidents/index.js';
import type { EventKind } from './notification-matching.js';

/**
 * The emails notification rules send, each as plain text and as HTML (every value escaped): one
 * incident event, and the test message (the digest is in notification-digest-email.ts).
 */

/** A rendered email, as stored in a delivery's payload and handed to the mailer. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** An alert line of the summary. */
export interface SummaryAlert {
  title: string;
  severity: string;
  productName: string;
  time: number;
}

/** An entity line of the summary. */
export interface SummaryEntity {
  kind: string;
  name: string;
}

/** The alert/entity summary a rule may ask for. */
export interface IncidentSummary {
  alerts: SummaryAlert[];
  entities: SummaryEntity[];
  moreEntities: boolean;
}

/** What an incident email says. */
export interface IncidentEmailInput {
  ruleName: string;
  workspaceName: string;
  incident: Incident;
  kinds: EventKind[];
  actor: Actor;
  changes: FieldChange[];
  comment?: { author: string; message: string } | null;
  summary?: IncidentSummary | null;
}

const MAX_SUBJECT_TITLE = 150;
const MAX_COMMENT = 4_000;
const MAX_LISTED_ALERTS_ADDED = 10;

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Text on one line (no header injection through a title), shortened. */
export const oneLine = (text: string, max: number) => {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** A time as emails show it: `2026-01-31 12:00 UTC`. */
export const time = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

const FIELD_LABELS: Record<string, string> = {
  status: 'Status',
  severity: 'Severity',
  owner: 'Owner',
  title: 'Title',
  description: 'Description',
  classification: 'Classification',
  classificationReason: 'Classification reason',
  classificationComment: 'Resolution note',
  determination: 'Determination',
  tags: 'Tags',
  systemTags: 'System tags',
  tactics: 'Tactics',
  techniques: 'Techniques',
};

/** A change's value as people read it. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(describeValue).join(', ');
  if (typeof value === 'object') {
    const v = value as { name?: unknown; title?: unknown };
    if (typeof v.name === 'string') return v.name;
    if (typeof v.title === 'string') return v.title;
    return JSON.stringify(value);
  }
  return String(value);
}

/** The lines of "what changed" for an update (alerts added are listed by title). */
export function changeLines(changes: FieldChange[]): string[] {
  const lines: string[] = [];
  for (const change of changes) {
    if (change.field === 'alerts') {
      const added = Array.isArray(change.to) ? (change.to as unknown[]) : [];
      const titles = added.slice(0, MAX_LISTED_ALERTS_ADDED).map(describeValue);
      const more = added.length > titles.length ? ` and ${added.length - titles.length} more` : '';
      lines.push(`${added.length} new alert${added.length === 1 ? '' : 's'}: ${titles.join('; ')}${more}`);
      continue;
    }
    const label = FIELD_LABELS[change.field];
    if (!label) continue;
    if (change.field === 'description' || change.field === 'classificationComment') {
      lines.push(`${label}: ${oneLine(describeValue(change.to), 500)}`);
    } else lines.push(`${label}: ${describeValue(change.from)} → ${describeValue(change.to)}`);
  }
  return lines;
}

function alertsAddedCount(changes: FieldChange[]): number {
  const alerts = changes.find((c) => c.field === 'alerts');
  return Array.isArray(alerts?.to) ? alerts.to.length : 0;
}

/** What happened, in a few words (subjects and digest lines). */
export function whatHappened(incident: Incident, kinds: EventKind[], changes: FieldChange[]): string {
  if (kinds.includes('created')) return `new ${incident.severity} incident`;
  const parts = kinds.map((kind) => {
    switch (kind) {
      case 'status': {
        const to = changes.find((c) => c.field === 'status')?.to;
        return to === 'Closed' ? 'closed' : `status ${describeValue(to)}`;
      }
      case 'severity':
        return `severity ${describeValue(changes.find((c) => c.field === 'severity')?.to)}`;
      case 'owner': {
        const to = changes.find((c) => c.field === 'owner')?.to;
        return to ? `assigned to ${describeValue(to)}` : 'unassigned';
      }
      case 'alerts': {
        const n = alertsAddedCount(changes);
        return `${n} new alert${n === 1 ? '' : 's'}`;
      }
      case 'comments':
        return 'new comment';
      default:
        return kind;
    }
  });
  return parts.join(', ');
}

/** The subject of an incident email. */
export function incidentSubject(incident: Incident, kinds: EventKind[], changes: FieldChange[]): string {
  const title = oneLine(incident.title, MAX_SUBJECT_TITLE);
  if (kinds.includes('created')) return `[Vigil] New ${incident.severity} incident #${incident.number}: ${title}`;
  return `[Vigil] Incident #${incident.number} ${whatHappened(incident, kinds, changes)}: ${title}`;
}

function detailRows(input: IncidentEmailInput): [string, string][] {
  const i = input.incident;
  return [
    ['Workspace', input.workspaceName],
    ['Severity', i.severity],
    ['Status', i.status],
    ['Owner', i.owner ? i.owner.name : 'Unassigned'],
    ['Alerts', String(i.alertCount)],
    ...(i.alertProductNames.length ? ([['Products', i.alertProductNames.join(', ')]] as [string, string][]) : []),
    ...(i.tags.length ? ([['Tags', i.tags.join(', ')]] as [string, string][]) : []),
  ];
}

/** The email for one incident event. */
export function incidentEmail(input: IncidentEmailInput): RenderedEmail {
  const { incident, kinds } = input;
  const headline = kinds.includes('created')
    ? `New incident #${incident.number}: ${incident.title}`
    : `Incident #${incident.number} changed: ${incident.title}`;
  const rows = detailRows(input);
  const changes = kinds.includes('created') ? [] : changeLines(input.changes);
  const comment = input.comment
    ? {
        author: input.comment.author,
        message: input.comment.message.slice(0, MAX_COMMENT) + (input.comment.message.length > MAX_COMMENT ? '…' : ''),
      }
    : null;
  const summary = input.summary;
  const footer = `You receive this email because of the notification rule "${input.ruleName}" in workspace ${input.workspaceName}.`;

  const text = [
    oneLine(headline, 1000),
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    `Link: ${incident.url}`,
    ...(changes.length ? ['', `What changed (by ${input.actor.name}):`, ...changes.map((l) => `- ${l}`)] : []),
    ...(comment ? ['', `Comment by ${comment.author}:`, comment.message] : []),
    ...(summary ? summaryText(summary, incident.alertCount) : []),
    '',
    '--',
    footer,
  ].join('\n');

  const html = [
    `<h2 style="font-family:sans-serif">${escapeHtml(headline)}</h2>`,
    `<table style="font-family:sans-serif;border-collapse:collapse">${rows
      .map(
        ([k, v]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
      )
      .join('')}</table>`,
    `<p style="font-family:sans-serif"><a href="${escapeHtml(incident.url)}">Open incident #${incident.number} in Vigil</a></p>`,
    ...(changes.length
      ? [
          `<h3 style="font-family:sans-serif">What changed (by ${escapeHtml(input.actor.name)})</h3>`,
          `<ul>${changes.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
        ]
      : []),
    ...(comment
      ? [
          `<h3 style="font-family:sans-serif">Comment by ${escapeHtml(comment.author)}</h3>`,
          `<blockquote style="white-space:pre-wrap">${escapeHtml(comment.message)}</blockquote>`,
        ]
      : []),
    ...(summary ? summaryHtml(summary, incident.alertCount) : []),
    `<p style="font-family:sans-serif;color:#666;font-size:smaller">${escapeHtml(footer)}</p>`,
  ].join('\n');

  return { subject: incidentSubject(incident, kinds, input.changes), text, html };
}

const alertLine = (a: SummaryAlert) =>
  `[${a.severity}] ${oneLine(a.title, 300)} — ${a.productName || 'unknown product'}, ${time(a.time)}`;
const entityLine = (e: SummaryEntity) => `${e.kind}: ${oneLine(e.name, 300)}`;

function summaryText(summary: IncidentSummary, alertCount: number): string[] {
  return [
    '',
    `Alerts (latest ${summary.alerts.length} of ${alertCount}):`,
    ...summary.alerts.map((a) => `- ${alertLine(a)}`),
    '',
    `Entities${summary.moreEntities ? ` (first ${summary.entities.length})` : ''}:`,
    ...(summary.entities.length ? summary.entities.map((e) => `- ${entityLine(e)}`) : ['- (none)']),
  ];
}

function summaryHtml(summary: IncidentSummary, alertCount: number): string[] {
  return [
    `<h3 style="font-family:sans-serif">Alerts (latest ${summary.alerts.length} of ${alertCount})</h3>`,
    `<ul>${summary.alerts.map((a) => `<li>${escapeHtml(alertLine(a))}</li>`).join('')}</ul>`,
    `<h3 style="font-family:sans-serif">Entities${summary.moreEntities ? ` (first ${summary.entities.length})` : ''}</h3>`,
    `<ul>${(summary.entities.length ? summary.entities.map(entityLine) : ['(none)']).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
  ];
}

/** The test message of a rule: what its emails look like, about a sample incident. */
export function testEmail(input: { ruleName: string; workspaceName: string; sample: Incident }): RenderedEmail {
  const email = incidentEmail({
    ruleName: input.ruleName,
    workspaceName: input.workspaceName,
    incident: input.sample,
    kinds: ['created'],
    actor: { type: 'system', id: 'system', name: 'Vigil' },
    changes: [],
  });
  const note = 'This is a test of a notification rule: the incident below is a sample.';
  return {
    subject: `[Vigil] Test of notification rule "${oneLine(input.ruleName, 150)}"`,
    text: `${note}\n\n${email.text}`,
    html: `<p style="font-family:sans-serif"><strong>${escapeHtml(note)}</strong></p>\n${email.html}`,
  };
}

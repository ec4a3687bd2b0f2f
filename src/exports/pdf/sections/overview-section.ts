import { markdownToBlocks } from '../../../common/markdown-text.js';
import type { ExportData } from '../../export-data.js';
import type { PdfWriter } from '../pdf-writer.js';
import { actorLabel, formatTime } from '../pdf-values.js';

/** The incident's details: status, owner, classification and resolution note, counts, times, description. */
export function writeOverview(pdf: PdfWriter, data: ExportData): void {
  const incident = data.incident;
  pdf.sectionTitle('Overview');
  const owner = incident.owner
    ? `${incident.owner.name}${incident.owner.email ? ` <${incident.owner.email}>` : ''}${incident.owner.type === 'group' ? ' (group)' : ''}`
    : 'Unassigned';
  pdf.keyValues([
    ['Incident', `#${incident.number}`],
    ['Title', incident.title],
    ['Severity', incident.severity],
    ['Status', incident.status],
    ['Owner', owner],
    ['Classification', [incident.classification, incident.classificationReason].filter(Boolean).join(' — ')],
    ['Determination', incident.determination ?? ''],
    ['Resolution note', incident.classificationComment ?? ''],
    ['Tags', incident.tags.join(', ')],
    ['System tags', incident.systemTags.join(', ')],
    ['Products', incident.alertProductNames.join(', ')],
    ['Alerts', String(incident.alertCount)],
    ['Comments', String(incident.commentCount)],
    ['Tasks', `${incident.taskCounts.completed} of ${incident.taskCounts.total} completed`],
    ['Created', `${formatTime(incident.createdAt)} by ${actorLabel(incident.createdBy)}`],
    ['First activity', formatTime(incident.firstActivityTime)],
    ['Last activity', formatTime(incident.lastActivityTime)],
    ['Last updated', formatTime(incident.updatedAt)],
    ['Closed', formatTime(incident.closedAt)],
    ['Link', [{ text: incident.url, link: incident.url }]],
  ]);
  if (incident.description.trim()) {
    pdf.subheading('Description');
    pdf.blocks(markdownToBlocks(incident.description));
  }
}

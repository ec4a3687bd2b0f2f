import type { TextRun } from '../../../common/markdown-text.js';
import { markdownToBlocks } from '../../../common/markdown-text.js';
import type { ExportActivityEntry, ExportData } from '../../export-data.js';
import { EXPORT_LIMITS } from '../../export-schemas.js';
import { THEME, type PdfWriter } from '../pdf-writer.js';
import { actorLabel, breathe, formatTime, formatValue, humanize } from '../pdf-values.js';

const ACTIONS: Record<string, string> = {
  incidentCreated: 'created the incident',
  incidentUpdated: 'changed the incident',
  alertsAdded: 'added alerts',
  alertsRemoved: 'moved an alert out',
  commentAdded: 'commented',
  commentEdited: 'edited a comment',
  commentDeleted: 'deleted a comment',
  taskAdded: 'added a task',
  taskUpdated: 'edited a task',
  taskCompleted: 'completed a task',
  taskReopened: 'reopened a task',
  taskDeleted: 'deleted a task',
  automationFailed: 'could not apply an automation action',
  playbookRun: 'ran a playbook',
};

/** The activity log, oldest first: every change with who made it and what changed, and the comments in full. */
export async function writeActivity(pdf: PdfWriter, data: ExportData): Promise<void> {
  const activity = data.activity ?? { items: [], truncated: false };
  pdf.sectionTitle('Activity log and comments');
  if (activity.truncated) {
    pdf.note(
      `The log is longer than ${EXPORT_LIMITS.activityEntries.toLocaleString('en')} entries: the newest ${EXPORT_LIMITS.activityEntries.toLocaleString('en')} are shown, oldest first.`,
    );
  } else pdf.note(`${activity.items.length} entries, oldest first.`);
  for (const [index, entry] of activity.items.entries()) {
    writeEntry(pdf, entry);
    if (index % 25 === 24) await breathe();
  }
}

function writeEntry(pdf: PdfWriter, entry: ExportActivityEntry): void {
  pdf.ensure(40);
  const heading: TextRun[] = [
    { text: `${formatTime(entry.createdAt)}   ` },
    { text: actorLabel(entry.actor), bold: true },
    { text: ` ${ACTIONS[entry.action] ?? humanize(entry.action).toLowerCase()}` },
  ];
  pdf.paragraph(heading, { size: 9, after: 2 });
  if (entry.comment && entry.action === 'commentAdded') {
    if (entry.comment.message === null) pdf.note('(This comment was deleted since.)');
    else pdf.blocks(markdownToBlocks(entry.comment.message), 14);
  } else {
    for (const change of entry.changes) {
      if (entry.action.startsWith('comment')) continue;
      pdf.paragraph(describeChange(change), { size: 8.5, color: THEME.muted, indent: 14, after: 1 });
    }
  }
  pdf.y += 5;
}

function describeChange(change: { field: string; from: unknown; to: unknown }): TextRun[] {
  const field = { text: `${humanize(change.field)}: `, bold: true };
  if (change.from === null || change.from === undefined) return [field, { text: formatValue(change.to) }];
  if (change.to === null || change.to === undefined) return [field, { text: `${formatValue(change.from)} → removed` }];
  return [field, { text: `${formatValue(change.from)} → ${formatValue(change.to)}` }];
}

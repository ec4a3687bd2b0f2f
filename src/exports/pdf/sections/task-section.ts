import type { ExportData } from '../../export-data.js';
import type { PdfWriter } from '../pdf-writer.js';
import { actorLabel, formatTime, plainText } from '../pdf-values.js';

/** The incident's checklist: each task, its status, who added it and who completed it, when. */
export function writeTasks(pdf: PdfWriter, data: ExportData): void {
  const tasks = data.tasks ?? [];
  pdf.sectionTitle('Tasks');
  if (tasks.length === 0) {
    pdf.note('The incident has no tasks.');
    return;
  }
  const completed = tasks.filter((t) => t.status === 'Completed').length;
  pdf.paragraph(`${completed} of ${tasks.length} tasks completed.`, { size: 9, after: 6 });
  pdf.table(
    [
      { header: '#', weight: 0.5 },
      { header: 'Task', weight: 5 },
      { header: 'Status', weight: 1.3 },
      { header: 'Added by', weight: 2.2 },
      { header: 'Completed by', weight: 2.8 },
    ],
    tasks.map((task) => {
      const description = plainText(task.description, 400);
      return [
        String(task.order),
        [{ text: task.title, bold: true }, ...(description ? [{ text: `\n${description}` }] : [])],
        task.status === 'Completed' ? 'Completed' : 'Open',
        actorLabel(task.createdBy),
        task.completedBy ? `${actorLabel(task.completedBy)}\n${formatTime(task.completedAt)}` : '—',
      ];
    }),
  );
}

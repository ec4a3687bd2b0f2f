import type { ExportData } from '../export-data.js';
import type { ExportSection } from '../export-schemas.js';
import { createPdfWriter, type PdfFile, type PdfWriter } from './pdf-writer.js';
import { actorLabel, formatTime, truncate } from './pdf-values.js';
import { writeActivity } from './sections/activity-section.js';
import { writeAlerts } from './sections/alert-section.js';
import { writeAssets, writeEvidence } from './sections/entity-sections.js';
import { writeOverview } from './sections/overview-section.js';
import { writeTasks } from './sections/task-section.js';
import { writeTimeline } from './sections/timeline-section.js';

const WRITERS: Record<ExportSection, (pdf: PdfWriter, data: ExportData) => void | Promise<void>> = {
  overview: writeOverview,
  timeline: writeTimeline,
  assets: writeAssets,
  evidence: writeEvidence,
  tasks: writeTasks,
  alerts: writeAlerts,
  activity: writeActivity,
};

const SEVERITY_COLORS: Record<string, string> = {
  High: '#b91c1c',
  Medium: '#c2410c',
  Low: '#a16207',
  Informational: '#475569',
};
const STATUS_COLORS: Record<string, string> = { New: '#1d4ed8', Active: '#6d28d9', Closed: '#047857' };

/** Renders an incident's export: a title block, then the requested sections in document order, numbered pages. */
export async function renderIncidentPdf(data: ExportData, sections: ExportSection[]): Promise<PdfFile> {
  const { incident } = data;
  const pdf = createPdfWriter({
    title: `Incident #${incident.number}: ${incident.title}`,
    subject: `Vigil incident export, workspace ${data.workspaceId}`,
    author: data.requestedBy.name,
    createdAt: new Date(data.generatedAt),
    runningHeader: `Incident #${incident.number} — ${truncate(incident.title, 110)}`,
    footer: `Vigil · workspace ${data.workspaceId} · exported ${formatTime(data.generatedAt)}`,
  });
  writeTitleBlock(pdf, data, sections);
  for (const section of sections) await WRITERS[section](pdf, data);
  return pdf.finish();
}

/** The band across the top of the first page: number, title, severity, status and who exported it when. */
function writeTitleBlock(pdf: PdfWriter, data: ExportData, sections: ExportSection[]): void {
  const { doc, text, left, width } = pdf;
  const { incident } = data;
  const title = text.layout(incident.title, width, { size: 18, color: '#ffffff', style: 'bold' }).slice(0, 4);
  const bandHeight = 62 + title.length * 18 * 1.3;
  doc.rect(0, 0, doc.page.width, bandHeight).fill('#1e3a5f');
  const kicker = text.layout(`INCIDENT REPORT  ·  #${incident.number}`, width, { size: 9, color: '#b9c7d8', style: 'bold' });
  text.draw(kicker[0]!, left, 34);
  title.forEach((line, i) => text.draw(line, left, 60 + i * 18 * 1.3));

  let x = left;
  const badgeTop = bandHeight + 14;
  const badge = (label: string, color: string) => {
    const [line] = text.layout(label, 200, { size: 8.5, color: '#ffffff', style: 'bold' });
    doc.roundedRect(x, badgeTop, line!.width + 14, 17, 3).fill(color);
    text.draw(line!, x + 7, badgeTop + 12);
    x += line!.width + 20;
  };
  badge(`Severity: ${incident.severity}`, SEVERITY_COLORS[incident.severity] ?? '#475569');
  badge(`Status: ${incident.status}`, STATUS_COLORS[incident.status] ?? '#475569');
  if (incident.classification) badge(incident.classification, '#374151');
  pdf.y = badgeTop + 26;
  pdf.note(
    `Workspace ${data.workspaceId} · exported ${formatTime(data.generatedAt)} by ${actorLabel(data.requestedBy)} · sections: ${sections.join(', ')}`,
  );
}

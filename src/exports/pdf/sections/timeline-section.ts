import type { Alert } from '../../../alerts/index.js';
import type { ExportData } from '../../export-data.js';
import type { PdfWriter } from '../pdf-writer.js';
import { formatTime, truncate } from '../pdf-values.js';

/** When each alert happened, oldest first, and the threat categories (MITRE tactics and techniques) they map to. */
export function writeTimeline(pdf: PdfWriter, data: ExportData): void {
  const alerts = [...(data.alerts?.items ?? [])].sort((a, b) => startOf(a).localeCompare(startOf(b)) || a.id.localeCompare(b.id));
  pdf.sectionTitle('Timeline and threat categories');
  pdf.subheading('Threat categories');
  pdf.keyValues([
    ['Tactics', countedList(data.incident.tactics, alerts, (a) => a.tactics)],
    ['Techniques', countedList(data.incident.techniques, alerts, (a) => a.techniques)],
  ]);
  pdf.subheading('Alert timeline');
  if (alerts.length === 0) {
    pdf.note('The incident has no alerts.');
    return;
  }
  pdf.table(
    [
      { header: 'Time', weight: 2.7 },
      { header: 'Severity', weight: 1.2 },
      { header: 'Alert', weight: 3.6 },
      { header: 'Tactics and techniques', weight: 2.6 },
      { header: 'Source', weight: 2 },
    ],
    alerts.map((alert) => [
      formatTime(startOf(alert)),
      alert.severity,
      truncate(alert.title, 300),
      [...alert.tactics, ...alert.techniques].join(', ') || '—',
      alert.productName,
    ]),
  );
  if (data.alerts && data.alerts.total > alerts.length) {
    pdf.note(`The first ${alerts.length} of ${data.alerts.total} alerts are shown.`);
  }
}

function startOf(alert: Alert): string {
  return alert.startTime ?? alert.alertTime;
}

/** "InitialAccess (3 alerts), Persistence (1 alert)": the incident's categories with how many alerts show each. */
function countedList(names: string[], alerts: Alert[], of: (alert: Alert) => string[]): string {
  const all = [...new Set([...names, ...alerts.flatMap(of)])];
  return all
    .map((name) => {
      const count = alerts.filter((a) => of(a).includes(name)).length;
      return count ? `${name} (${count} alert${count === 1 ? '' : 's'})` : name;
    })
    .join(', ');
}

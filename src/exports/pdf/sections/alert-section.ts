import type { Alert } from '../../../alerts/index.js';
import type { ExportData } from '../../export-data.js';
import type { PdfWriter } from '../pdf-writer.js';
import { breathe, formatTime, plainText, truncate } from '../pdf-values.js';

const ENTITIES_PER_ALERT = 10;

/** Every related alert with its source, detection rule, times, categories, entities and description. */
export async function writeAlerts(pdf: PdfWriter, data: ExportData): Promise<void> {
  const alerts = data.alerts?.items ?? [];
  pdf.sectionTitle('Related alerts');
  if (alerts.length === 0) {
    pdf.note('The incident has no alerts.');
    return;
  }
  for (const [index, alert] of alerts.entries()) {
    pdf.subheading(`${index + 1}. ${truncate(alert.title, 300)}`);
    pdf.keyValues(alertDetails(alert));
    if (index % 25 === 24) await breathe();
  }
  if (data.alerts && data.alerts.total > alerts.length) {
    pdf.note(`The newest ${alerts.length} of ${data.alerts.total} alerts are shown.`);
  }
}

function alertDetails(alert: Alert): [string, string][] {
  const entities = alert.entities.slice(0, ENTITIES_PER_ALERT).map((e) => `${e.name} (${e.kind})`);
  if (alert.entities.length > ENTITIES_PER_ALERT) entities.push(`and ${alert.entities.length - ENTITIES_PER_ALERT} more`);
  return [
    ['Severity and status', `${alert.severity} · ${alert.status}`],
    ['Source', [alert.productName, alert.vendorName].filter(Boolean).join(' — ')],
    ['Analytics rule', alert.analyticsRuleName ?? alert.analyticsRuleId ?? ''],
    ['Activity', `${formatTime(alert.startTime ?? alert.alertTime)} – ${formatTime(alert.endTime ?? alert.alertTime)}`],
    ['Received', formatTime(alert.receivedAt)],
    ['Tactics', alert.tactics.join(', ')],
    ['Techniques', alert.techniques.join(', ')],
    ['Entities', entities.join(', ')],
    ['Alert id', `${alert.id} (source id ${truncate(alert.sourceAlertId, 120)})`],
    ['Description', plainText(alert.description, 1_500)],
  ];
}

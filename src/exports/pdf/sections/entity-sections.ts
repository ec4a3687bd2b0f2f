import type { ExportData, ExportEntity } from '../../export-data.js';
import { EXPORT_LIMITS } from '../../export-schemas.js';
import type { PdfWriter } from '../pdf-writer.js';
import { formatTime, keyProperties } from '../pdf-values.js';

const PLURAL: Record<string, string> = {
  Account: 'Users and accounts',
  Host: 'Devices',
  Mailbox: 'Mailboxes',
  CloudApplication: 'Cloud applications',
  AzureResource: 'Cloud resources',
  IoTDevice: 'IoT devices',
  SecurityGroup: 'Security groups',
};

/** The impacted assets (users, devices, mailboxes, apps, cloud resources): up to 10 of each kind. */
export function writeAssets(pdf: PdfWriter, data: ExportData): void {
  pdf.sectionTitle('Impacted assets');
  const kinds = data.assets ?? [];
  if (kinds.length === 0) {
    pdf.note('No users, devices, mailboxes, applications or cloud resources are involved.');
    return;
  }
  for (const kind of kinds) {
    pdf.subheading(`${PLURAL[kind.kind] ?? kind.kind} (${kind.total})`);
    pdf.table(
      [
        { header: 'Name', weight: 3 },
        { header: 'Details', weight: 5 },
        { header: 'Alerts', weight: 1 },
        { header: 'Last seen', weight: 2.7 },
      ],
      kind.items.map((e) => [e.name, keyProperties(e.properties, e.name) || '—', String(e.alertCount), formatTime(e.lastSeenAt)]),
    );
    if (kind.total > kind.items.length) {
      pdf.note(`${kind.items.length} of ${kind.total} are listed (at most ${EXPORT_LIMITS.assetsPerKind} per kind).`);
    }
  }
}

/** The evidence: every entity the alerts name (files, processes, IPs, URLs, accounts …), up to 100 items. */
export function writeEvidence(pdf: PdfWriter, data: ExportData): void {
  pdf.sectionTitle('Evidence');
  const evidence = data.evidence ?? { items: [] as ExportEntity[], total: 0 };
  if (evidence.items.length === 0) {
    pdf.note('The alerts name no entities.');
    return;
  }
  pdf.table(
    [
      { header: '#', weight: 0.6 },
      { header: 'Kind', weight: 1.7 },
      { header: 'Entity', weight: 3 },
      { header: 'Properties', weight: 4 },
      { header: 'Alerts', weight: 1 },
      { header: 'First seen', weight: 2.7 },
    ],
    evidence.items.map((e, i) => [
      String(i + 1),
      e.kind,
      e.name,
      keyProperties(e.properties, e.name) || '—',
      String(e.alertCount),
      formatTime(e.firstSeenAt),
    ]),
  );
  if (evidence.total > evidence.items.length) {
    pdf.note(`${evidence.items.length} of ${evidence.total} items are listed (at most ${EXPORT_LIMITS.evidenceItems}).`);
  }
}

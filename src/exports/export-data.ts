import type { ActivityService } from '../activity/index.js';
import type { Alert, AlertService } from '../alerts/index.js';
import { permissionsOf, type Access } from '../auth/permissions.js';
import type { Actor } from '../common/actor.js';
import type { EntityKind, EntityService } from '../entities/index.js';
import type { Incident, IncidentRecord, IncidentService } from '../incidents/index.js';
import type { Task, TaskService } from '../tasks/index.js';
import { EXPORT_LIMITS, type ExportSection } from './export-schemas.js';

/** The services an export reads the incident through (their public faces, never their tables). */
export interface ExportSources {
  incidents: Pick<IncidentService, 'get' | 'resolve'>;
  alerts: Pick<AlertService, 'listForIncident'>;
  entities: Pick<EntityService, 'listForIncident'>;
  tasks: Pick<TaskService, 'list'>;
  activity: Pick<ActivityService, 'listForIncident'>;
}

/** An entity of the incident, as the entity service lists it. */
export type ExportEntity = Awaited<ReturnType<EntityService['listForIncident']>>['items'][number];
/** An activity entry, as the activity service lists it. */
export type ExportActivityEntry = Awaited<ReturnType<ActivityService['listForIncident']>>['items'][number];

/** Everything one PDF shows; a section left out of the request is not read at all. */
export interface ExportData {
  workspaceId: string;
  generatedAt: number;
  requestedBy: Actor;
  incident: Incident;
  alerts?: { items: Alert[]; total: number };
  assets?: { kind: string; total: number; items: ExportEntity[] }[];
  evidence?: { items: ExportEntity[]; total: number };
  tasks?: Task[];
  activity?: { items: ExportActivityEntry[]; truncated: boolean };
}

/** Entity kinds shown as impacted assets, in Defender's order: users, devices, mailboxes, apps, cloud resources. */
export const ASSET_KINDS: EntityKind[] = [
  'Account',
  'Host',
  'Mailbox',
  'CloudApplication',
  'AzureResource',
  'IoTDevice',
  'SecurityGroup',
];

const EXPORTER: Actor = { type: 'system', id: 'incident-export', name: 'Incident export' };
const PAGE = 500;

/** How the background generator reads a workspace: as a Reader (it only reads). */
export function exportReaderAccess(workspaceId: string): Access {
  return { via: 'local', actor: EXPORTER, workspaceId, roles: ['Reader'], permissions: permissionsOf(['Reader']) };
}

/**
 * A fingerprint of the incident's data: it changes with every change to the incident and every
 * activity entry (alerts added, tasks, comments, edits), so an export made from it is reused only
 * while nothing it shows has changed.
 */
export async function incidentDataVersion(sources: ExportSources, access: Access, incident: IncidentRecord): Promise<string> {
  const latest = await sources.activity.listForIncident(access, incident.id, { limit: 1 });
  return `${incident.version}:${incident.updatedAt}:${latest.items[0]?.id ?? '-'}`;
}

/** Reads what the requested sections show, within the export's limits. */
export async function loadExportData(
  sources: ExportSources,
  request: { workspaceId: string; incidentId: string; sections: ExportSection[]; requestedBy: Actor; at: number },
): Promise<ExportData> {
  const access = exportReaderAccess(request.workspaceId);
  const ref = request.incidentId;
  const wants = (...sections: ExportSection[]) => sections.some((s) => request.sections.includes(s));
  const incident = await sources.incidents.get(access, ref);
  const data: ExportData = {
    workspaceId: request.workspaceId,
    generatedAt: request.at,
    requestedBy: request.requestedBy,
    incident,
  };
  if (wants('timeline', 'alerts')) {
    const page = await sources.alerts.listForIncident(access, ref, { limit: EXPORT_LIMITS.alerts });
    data.alerts = { items: page.items, total: Math.max(incident.alertCount, page.items.length) };
  }
  if (wants('assets')) data.assets = await loadAssets(sources, access, ref);
  if (wants('evidence')) {
    const page = await sources.entities.listForIncident(access, ref, { limit: EXPORT_LIMITS.evidenceItems });
    data.evidence = { items: page.items, total: page.metaData.reduce((sum, kind) => sum + kind.count, 0) };
  }
  if (wants('tasks')) data.tasks = await sources.tasks.list(access, ref);
  if (wants('activity')) data.activity = await loadActivity(sources, access, ref);
  return data;
}

async function loadAssets(sources: ExportSources, access: Access, ref: string): Promise<NonNullable<ExportData['assets']>> {
  const { metaData } = await sources.entities.listForIncident(access, ref, { limit: 1 });
  const assets: NonNullable<ExportData['assets']> = [];
  for (const kind of ASSET_KINDS) {
    const total = metaData.find((m) => m.kind === kind)?.count ?? 0;
    if (total === 0) continue;
    const page = await sources.entities.listForIncident(access, ref, { kind, limit: EXPORT_LIMITS.assetsPerKind });
    assets.push({ kind, total, items: page.items });
  }
  return assets;
}

/** The newest entries (up to the limit), returned oldest first as the PDF reads. */
async function loadActivity(sources: ExportSources, access: Access, ref: string): Promise<NonNullable<ExportData['activity']>> {
  const items: ExportActivityEntry[] = [];
  let cursor: string | undefined;
  do {
    const limit = Math.min(PAGE, EXPORT_LIMITS.activityEntries - items.length);
    const page = await sources.activity.listForIncident(access, ref, { limit, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < EXPORT_LIMITS.activityEntries);
  return { items: items.reverse(), truncated: cursor !== undefined };
}

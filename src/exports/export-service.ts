import { requirePermission, type Access } from '../auth/permissions.js';
import { ConflictError, NotFoundError, RateLimitedError } from '../errors/errors.js';
import { isoTime } from '../http/cursor.js';
import { newId } from '../ids/ids.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import { incidentDataVersion, loadExportData, type ExportSources } from './export-data.js';
import { createExportGenerator } from './export-generator.js';
import {
  countPendingExports,
  findExport,
  findReusableExport,
  insertExport,
  listExports,
  readExportContent,
  type ExportRecord,
} from './export-repository.js';
import { EXPORT_LIMITS, EXPORT_SECTIONS, type ExportRequest, type IncidentExport } from './export-schemas.js';

/** The file name a download is saved under. */
export const exportFileName = (incidentNumber: number) => `incident-${incidentNumber}.pdf`;

/** An export as the API returns it. */
export function toIncidentExport(record: ExportRecord): IncidentExport {
  const base = `/api/v1/workspaces/${encodeURIComponent(record.workspaceId)}/incidents/${record.incidentNumber}/exports/${record.id}`;
  return {
    id: record.id,
    incidentId: record.incidentId,
    incidentNumber: record.incidentNumber,
    sections: record.sections,
    status: record.status,
    error: record.error,
    fileName: exportFileName(record.incidentNumber),
    contentType: 'application/pdf',
    sizeBytes: record.sizeBytes,
    pageCount: record.pageCount,
    requestedBy: record.requestedBy,
    createdAt: isoTime(record.createdAt),
    completedAt: isoTime(record.completedAt),
    expiresAt: isoTime(record.expiresAt),
    fileUrl: record.status === 'ready' ? `${base}/file` : null,
  };
}

/** Incident exports: PDFs made in the background, reused for a few minutes while the incident does not change. */
export type ExportService = ReturnType<typeof createExportService>;

/** Builds the export service and its background generator (started and stopped with the app). */
export function createExportService({
  storage,
  sources,
  now = Date.now,
}: {
  storage: Storage;
  sources: ExportSources;
  now?: () => number;
}) {
  const { db } = storage;
  const generator = createExportGenerator({
    storage,
    now,
    render: async (record) => {
      const data = await loadExportData(sources, {
        workspaceId: record.workspaceId,
        incidentId: record.incidentId,
        sections: record.sections,
        requestedBy: record.requestedBy,
        at: now(),
      });
      // The PDF library and its fonts load with the first export, not at every start.
      const { renderIncidentPdf } = await import('./pdf/incident-pdf.js');
      return renderIncidentPdf(data, record.sections);
    },
  });

  async function incidentOf(access: Access, ref: string): Promise<IncidentRecord> {
    requirePermission(access, 'incidents.read');
    return sources.incidents.resolve(access, ref);
  }

  async function exportOf(access: Access, ref: string, id: string): Promise<ExportRecord> {
    const incident = await incidentOf(access, ref);
    const record = await findExport(db, { workspaceId: incident.workspaceId, id }, now());
    if (!record || record.incidentId !== incident.id) {
      throw new NotFoundError(`Export ${id} of incident ${incident.number} not found (exports are kept for 24 hours)`);
    }
    return record;
  }

  return {
    /**
     * Asks for a PDF of an incident. Within 5 minutes of an export of the same sections, made from
     * the same data, that export is returned (`reused`); otherwise a new one is queued.
     */
    async request(access: Access, ref: string, input: ExportRequest): Promise<{ export: IncidentExport; reused: boolean }> {
      const incident = await incidentOf(access, ref);
      const sections = EXPORT_SECTIONS.filter((s) => !input.sections || input.sections.includes(s));
      const dataVersion = await incidentDataVersion(sources, access, incident);
      const at = now();
      const match = { workspaceId: incident.workspaceId, incidentId: incident.id, sections, dataVersion };
      const reusable = await findReusableExport(db, match, at - EXPORT_LIMITS.cacheMs);
      if (reusable) return { export: toIncidentExport(reusable), reused: true };
      if ((await countPendingExports(db, incident.workspaceId)) >= EXPORT_LIMITS.pendingPerWorkspace) {
        throw new RateLimitedError(
          `Workspace ${incident.workspaceId} already has ${EXPORT_LIMITS.pendingPerWorkspace} exports being prepared; try again when they are ready`,
        );
      }
      const record: ExportRecord = {
        ...match,
        id: newId(at),
        incidentNumber: incident.number,
        status: 'pending',
        error: null,
        requestedBy: access.actor,
        attempts: 0,
        sizeBytes: null,
        pageCount: null,
        createdAt: at,
        completedAt: null,
        expiresAt: at + EXPORT_LIMITS.retentionMs,
      };
      await insertExport(db, record);
      generator.enqueue({ workspaceId: record.workspaceId, id: record.id });
      return { export: toIncidentExport(record), reused: false };
    },

    /** One export's status. */
    async get(access: Access, ref: string, id: string): Promise<IncidentExport> {
      return toIncidentExport(await exportOf(access, ref, id));
    },

    /** The incident's exports of the last 24 hours, newest first. */
    async list(access: Access, ref: string): Promise<IncidentExport[]> {
      const incident = await incidentOf(access, ref);
      return (await listExports(db, incident.workspaceId, incident.id, now(), 50)).map(toIncidentExport);
    },

    /** The PDF of a ready export; 409 while it is pending or when it failed. */
    async file(access: Access, ref: string, id: string): Promise<{ fileName: string; content: Buffer }> {
      const record = await exportOf(access, ref, id);
      if (record.status === 'pending') {
        throw new ConflictError(`Export ${id} is still being prepared; poll it until its status is ready`, { status: 'pending' });
      }
      if (record.status === 'failed') {
        throw new ConflictError(`Export ${id} failed: ${record.error ?? 'unknown error'}. Request a new export`, {
          status: 'failed',
        });
      }
      const content = await readExportContent(db, record);
      if (!content) throw new NotFoundError(`Export ${id} of incident ${record.incidentNumber} not found`);
      return { fileName: exportFileName(record.incidentNumber), content };
    },

    /** Starts generating in the background (picks up exports a previous process left pending). */
    start: generator.start,
    /** Stops generating, letting the export in progress finish. */
    stop: generator.stop,
  };
}

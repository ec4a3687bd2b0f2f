import { z } from 'zod';
import { actorSchema } from '../common/actor.js';
import { incidentParams } from '../incidents/incident-schemas.js';

/** The parts of an incident's PDF, in document order (Defender's "Export incident as PDF" choices). */
export const EXPORT_SECTIONS = ['overview', 'timeline', 'assets', 'evidence', 'tasks', 'alerts', 'activity'] as const;
export type ExportSection = (typeof EXPORT_SECTIONS)[number];

export const EXPORT_STATUSES = ['pending', 'ready', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** How much of an incident one PDF holds, and how long exports are kept and reused. */
export const EXPORT_LIMITS = {
  /** Impacted assets listed per entity kind. */
  assetsPerKind: 10,
  /** Items in the evidence list. */
  evidenceItems: 100,
  /** Alerts in the timeline and the related alerts. */
  alerts: 500,
  /** Activity entries (the newest ones; the PDF says when older ones are left out). */
  activityEntries: 5_000,
  /** A request for the same incident and sections within this time gets the same export, unless the data changed. */
  cacheMs: 5 * 60_000,
  /** Exports are deleted this long after they were requested. */
  retentionMs: 24 * 60 * 60_000,
  /** Exports a workspace may have waiting to be generated at once. */
  pendingPerWorkspace: 20,
} as const;

export const exportRequestSchema = z
  .strictObject({
    sections: z
      .array(z.enum(EXPORT_SECTIONS, { error: `must be one of ${EXPORT_SECTIONS.join(', ')}` }))
      .min(1, 'must name at least one section')
      .max(EXPORT_SECTIONS.length, `must name at most ${EXPORT_SECTIONS.length} sections`)
      .optional()
      .describe(`The sections to include (default: all): ${EXPORT_SECTIONS.join(', ')}`),
  })
  .meta({ id: 'IncidentExportRequest' });
export type ExportRequest = z.infer<typeof exportRequestSchema>;

export const incidentExportSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    incidentNumber: z.number().int(),
    sections: z.array(z.enum(EXPORT_SECTIONS)),
    status: z.enum(EXPORT_STATUSES),
    error: z.string().nullable().describe('Why generation failed (status failed)'),
    fileName: z.string(),
    contentType: z.literal('application/pdf'),
    sizeBytes: z.number().int().nullable(),
    pageCount: z.number().int().nullable(),
    requestedBy: actorSchema,
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime(),
    fileUrl: z.string().nullable().describe('Where to download the file, once ready'),
  })
  .meta({ id: 'IncidentExport' });
export type IncidentExport = z.infer<typeof incidentExportSchema>;

export const exportParams = incidentParams.extend({ export: z.string().min(1).max(64) });

/** Incident exports: the incident as a PDF (overview, timeline, assets, evidence, tasks, alerts, activity), made in the background. */
export { createExportService, type ExportService } from './export-service.js';
export { registerExportRoutes } from './export-routes.js';
export { EXPORT_SECTIONS, EXPORT_LIMITS, type ExportSection, type IncidentExport } from './export-schemas.js';

/** Alerts: ingestion (de-duplication, analytics rules, grouping into incidents) and reading. */
export { createAlertService, type AlertService } from './alert-service.js';
export { registerAlertRoutes } from './alert-routes.js';
export { alertInputSchema, alertSchema, type Alert, type AlertInput, type IngestResult } from './alert-schemas.js';

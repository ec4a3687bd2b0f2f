/** Incidents: the queue, manual creation, updates with cascades and activity, bulk changes, tags. */
export { createIncidentService, resolveOwnerFilter, type IncidentService } from './incident-service.js';
export { registerIncidentRoutes } from './incident-routes.js';
export { incidentSchema, type Incident } from './incident-schemas.js';
export type { IncidentRecord, TitleSource, SeveritySource } from './incident-model.js';
export { unionInsensitive } from './incident-model.js';
export { titleAfterAlerts } from './incident-title.js';
export { toIncident, incidentUrl } from './incident-view.js';
export {
  allocateIncidentNumbers,
  insertIncidents,
  findIncident,
  findIncidentsByIds,
  updateIncidentRow,
  updateLockedIncidents,
  updateIncidentTags,
  addIncidentSources,
} from './incident-repository.js';
export { changeIncident } from './incident-update.js';

/** The activity log: one entry per change (actor and field-level changes) and per comment. */
export { createActivityService, type ActivityService } from './activity-service.js';
export { registerActivityRoutes } from './activity-routes.js';
export { insertActivity } from './activity-repository.js';
export type { FieldChange, NewActivity, ActivityAction } from './activity-schemas.js';

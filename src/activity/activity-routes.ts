import { errorResponses, pageOf, workspaceParams } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { incidentParams } from '../incidents/incident-schemas.js';
import { activityEntrySchema, activityQuerySchema } from './activity-schemas.js';
import type { ActivityService } from './activity-service.js';

const tags = ['Activity'];

/** HTTP routes for the activity log. */
export function registerActivityRoutes(server: VigilServer, activity: ActivityService): void {
  server.get('/api/v1/workspaces/:workspace/incidents/:incident/activity', {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: "An incident's activity log: changes (with actor and field-level from/to) and comments, newest first",
      params: incidentParams,
      querystring: activityQuerySchema,
      response: { 200: pageOf(activityEntrySchema), ...errorResponses },
    },
    handler: (request) => activity.listForIncident(request.access, request.params.incident, request.query),
  });

  server.get('/api/v1/workspaces/:workspace/activity', {
    config: { permission: 'incidents.read' },
    schema: {
      tags,
      summary: 'The workspace audit log across incidents (e.g. ?actorType=automationRule: every change made by automation)',
      params: workspaceParams,
      querystring: activityQuerySchema,
      response: { 200: pageOf(activityEntrySchema), ...errorResponses },
    },
    handler: (request) => activity.listForWorkspace(request.access, request.query),
  });
}

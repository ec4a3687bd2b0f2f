import { z } from 'zod';
import { errorResponses, paginationQuery } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import { incidentParams } from '../incidents/incident-schemas.js';
import { ENTITY_KINDS } from './entity-kinds.js';
import type { EntityService } from './entity-service.js';

const incidentEntitySchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    name: z.string(),
    properties: z.record(z.string(), z.unknown()),
    alertCount: z.number().int(),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
  })
  .meta({ id: 'IncidentEntity' });

/** HTTP routes for incident entities. */
export function registerEntityRoutes(server: VigilServer, entities: EntityService): void {
  server.get('/api/v1/workspaces/:workspace/incidents/:incident/entities', {
    config: { permission: 'incidents.read' },
    schema: {
      tags: ['Incidents'],
      summary: "List an incident's entities (accounts, hosts, IPs …), de-duplicated across its alerts",
      params: incidentParams,
      querystring: z.object({
        kind: z.enum(ENTITY_KINDS, { error: `must be one of ${ENTITY_KINDS.join(', ')}` }).optional(),
        ...paginationQuery,
      }),
      response: {
        200: z.object({
          items: z.array(incidentEntitySchema),
          nextCursor: z.string().nullable(),
          metaData: z.array(z.object({ kind: z.string(), count: z.number().int() })).describe('Entities per kind'),
        }),
        ...errorResponses,
      },
    },
    handler: (request) => entities.listForIncident(request.access, request.params.incident, request.query),
  });
}

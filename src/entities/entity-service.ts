import type { Access } from '../auth/permissions.js';
import { decodeCursor, encodeCursor, isoTime } from '../http/cursor.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import { countIncidentEntities, listIncidentEntities } from './entity-repository.js';
import type { EntityKind } from './entity-kinds.js';

/** Entities of incidents, de-duplicated across their alerts. */
export type EntityService = ReturnType<typeof createEntityService>;

/** Builds the entity service. */
export function createEntityService({
  storage,
  resolveIncident,
}: {
  storage: Storage;
  resolveIncident: (access: Access, ref: string) => Promise<IncidentRecord>;
}) {
  const { db } = storage;
  return {
    /** A page of an incident's entities (optionally one kind), with the count of each kind. */
    async listForIncident(access: Access, incidentRef: string, query: { kind?: EntityKind; limit: number; cursor?: string }) {
      const incident = await resolveIncident(access, incidentRef);
      const after = query.cursor ? (decodeCursor(query.cursor, 3) as [string, string, string]) : undefined;
      const rows = await listIncidentEntities(db, access.workspaceId!, incident.id, {
        kind: query.kind,
        after,
        limit: query.limit,
      });
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return {
        items: items.map((e) => ({
          id: e.id,
          kind: e.kind,
          name: e.name,
          properties: e.properties,
          alertCount: e.alertCount,
          firstSeenAt: isoTime(e.firstSeenAt),
          lastSeenAt: isoTime(e.lastSeenAt),
        })),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.kind, last.name, last.id]) : null,
        metaData: await countIncidentEntities(db, access.workspaceId!, incident.id),
      };
    },
  };
}

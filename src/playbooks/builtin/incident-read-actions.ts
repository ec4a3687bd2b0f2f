import { z } from 'zod';
import { ActionError } from '../../connectors/action.js';
import { ENTITY_KINDS, resolveEntityKind, type EntityService } from '../../entities/index.js';
import type { AlertService } from '../../alerts/index.js';
import type { IncidentService } from '../../incidents/index.js';
import type { BuiltinActionDefinition, BuiltinContext } from './builtin-action.js';
import { entityOutput, incidentOf, incidentOutput, incidentRef } from './builtin-kit.js';

/** The services the read actions use. */
export interface ReadServices {
  incidents: IncidentService;
  alerts: AlertService;
  entities: EntityService;
}

const MAX_ITEMS = 500;

/** Built-in actions that read incidents, their entities and alerts (no effect: recomputed after a crash). */
export function incidentReadActions(s: ReadServices): BuiltinActionDefinition[] {
  const getIncident: BuiltinActionDefinition = {
    id: 'incident.get',
    title: 'Get incident',
    description: 'Reads an incident as the API shows it: status, severity, owner, tags, classification, counts.',
    input: z.strictObject({ incident: incidentRef }),
    output: z.object({ incident: incidentOutput }),
    effect: 'none',
    async run(context: BuiltinContext, input: { incident?: string | number }) {
      return { incident: await s.incidents.get(context.access, incidentOf(context, input.incident)) };
    },
  };

  const getEntities: BuiltinActionDefinition = {
    id: 'incident.getEntities',
    title: 'Get entities',
    description: `An incident's entities, all or of one kind (${ENTITY_KINDS.slice(0, 6).join(', ')}, …), with their properties.`,
    input: z.strictObject({
      incident: incidentRef,
      kind: z
        .string()
        .optional()
        .refine((k) => k === undefined || resolveEntityKind(k) !== undefined, {
          message: `must be one of ${ENTITY_KINDS.join(', ')}`,
        })
        .describe('Only entities of this kind, e.g. Account, Host, Ip, Url, FileHash'),
    }),
    output: z.object({ entities: z.array(entityOutput), count: z.number().int() }),
    effect: 'none',
    async run(context: BuiltinContext, input: { incident?: string | number; kind?: string }) {
      const kind = input.kind ? resolveEntityKind(input.kind) : undefined;
      const page = await s.entities.listForIncident(context.access, incidentOf(context, input.incident), {
        kind,
        limit: MAX_ITEMS,
      });
      const entities = page.items.map((e) => ({ id: e.id, kind: e.kind, name: e.name, properties: e.properties }));
      return { entities, count: entities.length };
    },
  };

  const getAlerts: BuiltinActionDefinition = {
    id: 'incident.getAlerts',
    title: 'Get alerts',
    description: "An incident's alerts, newest first (up to 500).",
    input: z.strictObject({ incident: incidentRef }),
    output: z.object({ alerts: z.array(z.record(z.string(), z.unknown())), count: z.number().int() }),
    effect: 'none',
    async run(context: BuiltinContext, input: { incident?: string | number }) {
      const page = await s.alerts.listForIncident(context.access, incidentOf(context, input.incident), { limit: MAX_ITEMS });
      return { alerts: page.items, count: page.items.length };
    },
  };

  const alertIncident: BuiltinActionDefinition = {
    id: 'alert.getIncident',
    title: 'Get the incident of an alert',
    description: 'The incident an alert belongs to (null when the alert has none).',
    input: z.strictObject({
      alert: z.string().min(1).max(64).optional().describe("The alert's id (default: the alert the run is about)"),
    }),
    output: z.object({ incident: incidentOutput.nullable() }),
    effect: 'none',
    async run(context: BuiltinContext, input: { alert?: string }) {
      const alertId = input.alert ?? context.trigger.alertId;
      if (!alertId) throw new ActionError('This run is not about an alert: pass `alert` (an alert id)');
      const alert = (await s.alerts.get(context.access, alertId)) as { incidentId: string | null };
      return { incident: alert.incidentId ? await s.incidents.get(context.access, alert.incidentId) : null };
    },
  };

  return [getIncident, getEntities, getAlerts, alertIncident];
}

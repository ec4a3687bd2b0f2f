import type { AlertService } from '../../alerts/index.js';
import type { Access } from '../../auth/permissions.js';
import type { EntityService } from '../../entities/index.js';
import type { IncidentService } from '../../incidents/index.js';

/** What started a run, as stored on it. */
export interface RunTrigger {
  kind: 'incident' | 'alert' | 'entity' | 'webhook' | 'schedule' | 'manual';
  incidentId?: string;
  alertId?: string;
  entityId?: string;
  /** A webhook's body. */
  payload?: unknown;
  scheduledAt?: string;
  /** Who or what asked: a person, an automation rule, an analytics rule, a schedule. */
  source?: { type: string; id: string; name: string };
}

/** The services a run reads its trigger's data through. */
export interface ContextServices {
  incidents: IncidentService;
  alerts: AlertService;
  entities: EntityService;
}

const MAX_ALERTS = 150;
const MAX_ENTITIES = 500;

/** An incident with its alerts and entities, as expressions read it (`incident.alerts`, `incident.entities`). */
async function incidentData(services: ContextServices, access: Access, id: string) {
  const [incident, alerts, entities] = await Promise.all([
    services.incidents.get(access, id),
    services.alerts.listForIncident(access, id, { limit: MAX_ALERTS }),
    services.entities.listForIncident(access, id, { limit: MAX_ENTITIES }),
  ]);
  return { ...incident, alerts: alerts.items, entities: entities.items };
}

/**
 * The trigger's data as the run first sees it — the incident with its alerts and entities, the
 * alert, the entity, the webhook body — captured once and stored on the run, so a resumed run
 * reads what the first attempt read.
 */
export async function loadRunContext(
  services: ContextServices,
  access: Access,
  trigger: RunTrigger,
): Promise<Record<string, unknown>> {
  const context: Record<string, unknown> = { trigger };
  if (trigger.alertId) {
    const alert = await services.alerts.get(access, trigger.alertId);
    context.alert = alert;
    const incidentId = trigger.incidentId ?? (alert as { incidentId?: string | null }).incidentId ?? undefined;
    if (incidentId) context.incident = await incidentData(services, access, incidentId);
  } else if (trigger.incidentId) {
    context.incident = await incidentData(services, access, trigger.incidentId);
  }
  if (trigger.entityId) {
    const entities = (context.incident as { entities?: { id: string }[] } | undefined)?.entities ?? [];
    context.entity = entities.find((e) => e.id === trigger.entityId) ?? null;
  }
  return context;
}

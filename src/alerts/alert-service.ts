import { requirePermission, type Access } from '../auth/permissions.js';
import { NotFoundError } from '../errors/errors.js';
import { decodeCursor, encodeCursor, parseTime } from '../http/cursor.js';
import { NO_AUTOMATION, type IncidentAutomation } from '../incidents/incident-automation.js';
import type { IncidentRecord } from '../incidents/index.js';
import type { Storage } from '../storage/database.js';
import type { Executor } from '../storage/dialect.js';
import { describeOwners } from '../users/owner.js';
import { prepareAlerts, type IngestBody } from './alert-input.js';
import { moveAlertWithin, type AlertMoveResult } from './alert-move.js';
import { findAlert, listAlerts, type AlertFilter } from './alert-repository.js';
import type { Alert, IngestResult } from './alert-schemas.js';
import { toAlert } from './alert-view.js';
import { ingestBatch } from './ingest-batch.js';

/** Query options for listing alerts. */
export interface AlertListQuery {
  product?: string[];
  severity?: string[];
  status?: string[];
  analyticsRule?: string;
  receivedFrom?: string;
  receivedTo?: string;
  withoutIncident?: boolean;
  limit: number;
  cursor?: string;
}

/** Alerts: ingestion (with grouping into incidents) and reading. */
export type AlertService = ReturnType<typeof createAlertService>;

/** Builds the alert service. `resolveIncident` finds an incident by id or number (from the incidents module). */
export function createAlertService({
  storage,
  resolveIncident,
  now = Date.now,
  automation = NO_AUTOMATION,
}: {
  storage: Storage;
  resolveIncident: (access: Access, ref: string) => Promise<IncidentRecord>;
  now?: () => number;
  automation?: IncidentAutomation;
}) {
  const { db, dialect } = storage;

  async function page(filter: AlertFilter, query: { limit: number; cursor?: string }) {
    const after = query.cursor ? (decodeCursor(query.cursor, 2) as [number, string]) : undefined;
    const rows = await listAlerts(db, filter, { after, limit: query.limit });
    const items = rows.slice(0, query.limit);
    const owners = await describeOwners(
      db,
      items.flatMap((r) => (r.owner_type && r.owner_id ? [{ type: r.owner_type as 'user' | 'group', id: r.owner_id }] : [])),
    );
    const last = items[items.length - 1];
    return {
      items: items.map((row) => toAlert(row, owners)),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.received_at, last.id]) : null,
    };
  }

  /**
   * Adds an alert to an incident inside the caller's transaction (a playbook step commits its record
   * with it), moving it out of the incident it was in. Moving it where it already is changes nothing.
   */
  async function addToIncidentWithin(
    trx: Executor,
    access: Access,
    alertId: string,
    incidentRef: string,
  ): Promise<AlertMoveResult> {
    requirePermission(access, 'incidents.write');
    return moveAlertWithin(trx, { dialect, automation }, access, alertId, incidentRef, now());
  }

  return {
    /**
     * Ingests one alert or a batch atomically: when this returns, every alert is durably stored
     * and grouped, and the result says per alert whether it was new, grouped or a duplicate.
     */
    async ingest(access: Access, body: IngestBody): Promise<IngestResult> {
      requirePermission(access, 'alerts.ingest');
      const at = now();
      const prepared = prepareAlerts(body, at);
      return db.transaction().execute((trx) => ingestBatch(trx, dialect, access.workspaceId!, prepared, at, automation));
    },

    addToIncidentWithin,

    /** Adds an alert to an incident (moving it out of its current one) in its own transaction. */
    async addToIncident(access: Access, alertId: string, incidentRef: string): Promise<AlertMoveResult> {
      return db.transaction().execute((trx) => addToIncidentWithin(trx, access, alertId, incidentRef));
    },

    /** A page of the workspace's alerts, newest first. */
    async list(access: Access, query: AlertListQuery) {
      requirePermission(access, 'incidents.read');
      return page(
        {
          workspaceId: access.workspaceId!,
          products: query.product,
          severities: query.severity,
          statuses: query.status,
          analyticsRuleId: query.analyticsRule,
          receivedFrom: parseTime(query.receivedFrom),
          receivedTo: parseTime(query.receivedTo),
          withoutIncident: query.withoutIncident,
        },
        query,
      );
    },

    /** A page of one incident's alerts. */
    async listForIncident(access: Access, incidentRef: string, query: { limit: number; cursor?: string }) {
      const incident = await resolveIncident(access, incidentRef);
      return page({ workspaceId: access.workspaceId!, incidentId: incident.id }, query);
    },

    /** One alert, with its original payload. */
    async get(access: Access, id: string): Promise<Alert> {
      requirePermission(access, 'incidents.read');
      const row = await findAlert(db, access.workspaceId!, id);
      if (!row) throw new NotFoundError(`Alert ${id} not found in workspace ${access.workspaceId}`);
      const owners = await describeOwners(
        db,
        row.owner_type && row.owner_id ? [{ type: row.owner_type as 'user' | 'group', id: row.owner_id }] : [],
      );
      return toAlert(row, owners, { withRaw: true });
    },
  };
}

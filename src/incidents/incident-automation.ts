import type { ActivityAction, FieldChange } from '../activity/index.js';
import type { Actor } from '../common/actor.js';
import type { Executor } from '../storage/dialect.js';
import type { IncidentRecord } from './incident-model.js';

/** A change to an incident, as incident-updated automation sees it. */
export interface IncidentChangeEvent {
  action: ActivityAction;
  actor: Actor;
  changes: FieldChange[];
}

/** What rules may read about a new incident that is not in the database yet. */
export interface IncidentExtras {
  entities: { kind: string; properties: Record<string, unknown> }[];
  customDetails: Record<string, string[]>[];
  alertTitles: string[];
}

/** Shared facts a caller already has (saves reads): the workspace's rules version, analytics rule identifiers. */
export interface AutomationContext {
  now: number;
  version?: number;
  ruleIdentifiers?: Map<string, string[]>;
}

/**
 * The automation that runs inside incident writes (implemented by the automation-rules module and
 * given to the services by the composition root): incident-created rules before a new incident is
 * inserted, incident-updated rules after a change is written, alert-created rules on new alerts.
 */
export interface IncidentAutomation {
  /**
   * Runs incident-created rules on incidents about to be inserted. Returns them as the rules left
   * them (their task counts included) and `persist`, which writes the rules' tasks, activity and
   * run log once the incidents are inserted.
   */
  created(
    trx: Executor,
    workspaceId: string,
    items: { record: IncidentRecord; extras?: IncidentExtras }[],
    context: AutomationContext,
  ): Promise<{ records: IncidentRecord[]; persist(): Promise<void> }>;
  /**
   * Runs incident-updated rules after a change that is already written (not for changes made by
   * automation rules: Sentinel's loop guard) and persists what they do. Returns the incident as
   * they left it.
   */
  updated(
    trx: Executor,
    written: IncidentRecord,
    event: IncidentChangeEvent,
    context: AutomationContext,
  ): Promise<IncidentRecord>;
  /** The same for many incidents of one workspace at once (alert ingestion). */
  updatedMany(
    trx: Executor,
    workspaceId: string,
    items: { written: IncidentRecord; event: IncidentChangeEvent }[],
    context: AutomationContext,
  ): Promise<IncidentRecord[]>;
  /** Runs alert-created rules (which only run playbooks) on new alerts. */
  alertsCreated(
    trx: Executor,
    workspaceId: string,
    alerts: { id: string; facts: AlertFacts; extras: IncidentExtras }[],
    context: AutomationContext,
  ): Promise<void>;
}

/** What alert-created rules read about an alert. */
export interface AlertFacts {
  title: string;
  description: string;
  severity: string;
  status: string;
  analyticsRuleIds: string[];
  tactics: string[];
  tags: string[];
  productName: string;
  /** The incident the alert joined (null when its analytics rule creates none). */
  incidentId?: string | null;
}

/** No automation (tests of the incident services alone). */
export const NO_AUTOMATION: IncidentAutomation = {
  async created(_trx, _ws, items) {
    return { records: items.map((i) => i.record), persist: async () => {} };
  },
  async updated(_trx, written) {
    return written;
  },
  async updatedMany(_trx, _ws, items) {
    return items.map((i) => i.written);
  },
  async alertsCreated() {},
};

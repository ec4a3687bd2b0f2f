import type { ActivityAction, FieldChange } from '../activity/index.js';
import type { Actor } from '../common/actor.js';
import type { UpdateSource } from './rule-properties.js';

/**
 * What conditions read: the incident (or alert) as lower-cased lists of strings, its entities, its
 * alerts' custom details and titles. Built once per evaluation, re-built after a rule changes the
 * incident so the next rule sees the incident as the previous one left it.
 */
export interface RuleSubject {
  title: string[];
  description: string[];
  severity: string[];
  status: string[];
  owner: string[];
  analyticsRules: string[];
  tactics: string[];
  labels: string[];
  providers: string[];
  alertProducts: string[];
  alertTitles: string[];
  customDetectionRules: string[];
  customDetails: { key: string; values: string[] }[];
  customDetailKeys: string[];
  customDetailValues: string[];
  entities: { kind: string; properties: Record<string, unknown> }[];
  updatedBySource: string[];
}

/** The change that triggered an incident-updated rule. */
export interface RuleUpdate {
  action: ActivityAction;
  actor: Actor;
  changes: FieldChange[];
}

/** The `IncidentUpdatedBySource` of an actor. */
export function updateSource(actor: Actor): UpdateSource {
  switch (actor.type) {
    case 'user':
      return 'User';
    case 'automationRule':
      return 'AutomationRule';
    case 'playbook':
      return 'Playbook';
    default:
      return actor.id === 'alert-grouping' ? 'AlertGrouping' : 'Application';
  }
}

const lower = (values: (string | null | undefined)[]) =>
  values.filter((v): v is string => typeof v === 'string' && v !== '').map((v) => v.toLowerCase());

/** The parts of a subject that come from the incident record itself. */
export interface SubjectFacts {
  title: string;
  description: string;
  severity: string;
  status: string;
  owner: { id: string; name: string; email: string | null } | null;
  analyticsRuleNames: string[];
  tactics: string[];
  labels: string[];
  alertProducts: string[];
}

/** The parts that come from the incident's alerts and entities (loaded only when rules need them). */
export interface SubjectExtras {
  entities: { kind: string; properties: Record<string, unknown> }[];
  customDetails: Record<string, string[]>[];
  alertTitles: string[];
}

/** The part of a subject read from the incident's alerts and entities: built once per incident. */
export interface PreparedExtras {
  customDetails: { key: string; values: string[] }[];
  customDetailKeys: string[];
  customDetailValues: string[];
  entities: { kind: string; properties: Record<string, unknown> }[];
  alertTitles: string[];
}

/** Prepares the extras part of a subject (lower-cased, custom details merged by key). */
export function prepareExtras(extras: SubjectExtras): PreparedExtras {
  const details = new Map<string, Set<string>>();
  for (const set of extras.customDetails) {
    for (const [key, values] of Object.entries(set)) {
      const entry = details.get(key.toLowerCase()) ?? new Set<string>();
      for (const value of values) entry.add(String(value).toLowerCase());
      details.set(key.toLowerCase(), entry);
    }
  }
  const customDetails = [...details].map(([key, values]) => ({ key, values: [...values] }));
  return {
    customDetails,
    customDetailKeys: customDetails.map((d) => d.key),
    customDetailValues: customDetails.flatMap((d) => d.values),
    entities: extras.entities,
    alertTitles: lower(extras.alertTitles),
  };
}

/**
 * Brings a subject up to date after a rule changed the incident: only what actions can change
 * (title, severity, status, owner, tags) is read again.
 */
export function refreshSubject(
  subject: RuleSubject,
  facts: Pick<SubjectFacts, 'title' | 'severity' | 'status' | 'owner' | 'labels'>,
): void {
  subject.title = lower([facts.title]);
  subject.severity = lower([facts.severity]);
  subject.status = lower([facts.status]);
  subject.owner = facts.owner ? lower([facts.owner.id, facts.owner.name, facts.owner.email]) : [];
  subject.labels = lower(facts.labels);
}

/** Builds a subject from an incident's facts, its prepared extras and who changed it. */
export function buildSubject(facts: SubjectFacts, extras: PreparedExtras | SubjectExtras, source: UpdateSource): RuleSubject {
  const prepared = 'customDetailKeys' in extras ? extras : prepareExtras(extras);
  return {
    ...prepared,
    title: lower([facts.title]),
    description: lower([facts.description]),
    severity: lower([facts.severity]),
    status: lower([facts.status]),
    owner: facts.owner ? lower([facts.owner.id, facts.owner.name, facts.owner.email]) : [],
    analyticsRules: lower(facts.analyticsRuleNames),
    tactics: lower(facts.tactics),
    labels: lower(facts.labels),
    providers: lower(['Vigil', ...facts.alertProducts]),
    alertProducts: lower(facts.alertProducts),
    customDetectionRules: lower(facts.analyticsRuleNames),
    updatedBySource: lower([source]),
  };
}

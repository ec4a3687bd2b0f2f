import type { ActivityAction, FieldChange } from '../activity/index.js';
import type { Actor } from '../common/actor.js';
import type { UpdateSource } from './rule-properties.js';

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

const lower = (values: readonly (string | null | undefined)[]): string[] => {
  const out: string[] = [];
  for (const v of values) if (typeof v === 'string' && v !== '') out.push(v.toLowerCase());
  return out;
};
const lowerOne = (value: string): string[] => (value === '' ? [] : [value.toLowerCase()]);

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

/**
 * What conditions read: the incident (or alert) as lower-cased lists of strings, its entities, its
 * alerts' custom details and titles. Each list is built the first time a condition reads it (most
 * rules read two or three), and `refresh` drops what a rule's actions may have changed, so the
 * next rule sees the incident as the previous one left it.
 */
export class RuleSubject {
  #facts: SubjectFacts;
  readonly #extras: SubjectExtras;
  readonly #source: UpdateSource;
  #title?: string[];
  #description?: string[];
  #severity?: string[];
  #status?: string[];
  #owner?: string[];
  #analyticsRules?: string[];
  #tactics?: string[];
  #labels?: string[];
  #providers?: string[];
  #alertProducts?: string[];
  #alertTitles?: string[];
  #customDetails?: { key: string; values: string[] }[];
  #customDetailKeys?: string[];
  #customDetailValues?: string[];
  #updatedBySource?: string[];
  readonly #entityValues = new Map<string, string[]>();

  constructor(facts: SubjectFacts, extras: SubjectExtras, source: UpdateSource) {
    this.#facts = facts;
    this.#extras = extras;
    this.#source = source;
  }

  get title(): string[] {
    return (this.#title ??= lowerOne(this.#facts.title));
  }
  get description(): string[] {
    return (this.#description ??= lowerOne(this.#facts.description));
  }
  get severity(): string[] {
    return (this.#severity ??= lowerOne(this.#facts.severity));
  }
  get status(): string[] {
    return (this.#status ??= lowerOne(this.#facts.status));
  }
  get owner(): string[] {
    const owner = this.#facts.owner;
    return (this.#owner ??= owner ? lower([owner.id, owner.name, owner.email]) : []);
  }
  get analyticsRules(): string[] {
    return (this.#analyticsRules ??= lower(this.#facts.analyticsRuleNames));
  }
  get customDetectionRules(): string[] {
    return this.analyticsRules;
  }
  get tactics(): string[] {
    return (this.#tactics ??= lower(this.#facts.tactics));
  }
  get labels(): string[] {
    return (this.#labels ??= lower(this.#facts.labels));
  }
  get providers(): string[] {
    return (this.#providers ??= lower(['Vigil', ...this.#facts.alertProducts]));
  }
  get alertProducts(): string[] {
    return (this.#alertProducts ??= lower(this.#facts.alertProducts));
  }
  get alertTitles(): string[] {
    return (this.#alertTitles ??= lower(this.#extras.alertTitles));
  }
  get updatedBySource(): string[] {
    return (this.#updatedBySource ??= lowerOne(this.#source));
  }
  get entities(): SubjectExtras['entities'] {
    return this.#extras.entities;
  }

  /** Custom details merged by key across the alerts, keys and values lower-cased. */
  get customDetails(): { key: string; values: string[] }[] {
    if (this.#customDetails) return this.#customDetails;
    const details = new Map<string, Set<string>>();
    for (const set of this.#extras.customDetails) {
      for (const [key, values] of Object.entries(set)) {
        const lowered = key.toLowerCase();
        let entry = details.get(lowered);
        if (!entry) details.set(lowered, (entry = new Set<string>()));
        for (const value of values) entry.add(String(value).toLowerCase());
      }
    }
    return (this.#customDetails = [...details].map(([key, values]) => ({ key, values: [...values] })));
  }
  get customDetailKeys(): string[] {
    return (this.#customDetailKeys ??= this.customDetails.map((d) => d.key));
  }
  get customDetailValues(): string[] {
    return (this.#customDetailValues ??= this.customDetails.flatMap((d) => d.values));
  }

  /** The lower-cased, non-empty values of one property over the entities of one kind; `key` names the pair. */
  entityValues(key: string, kind: string, property: string): string[] {
    let values = this.#entityValues.get(key);
    if (values) return values;
    values = [];
    for (const entity of this.#extras.entities) {
      if (entity.kind !== kind) continue;
      const value = entity.properties[property];
      if (value === undefined || value === null || value === '') continue;
      values.push(String(value).toLowerCase());
    }
    this.#entityValues.set(key, values);
    return values;
  }

  /** Takes in what a rule's actions changed (title, severity, status, owner, tags): those lists are read again. */
  refresh(facts: Pick<SubjectFacts, 'title' | 'severity' | 'status' | 'owner' | 'labels'>): void {
    this.#facts = { ...this.#facts, ...facts };
    this.#title = this.#severity = this.#status = this.#owner = this.#labels = undefined;
  }
}

/** Builds a subject from an incident's facts, its alerts' and entities' extras, and who changed it. */
export function buildSubject(facts: SubjectFacts, extras: SubjectExtras, source: UpdateSource): RuleSubject {
  return new RuleSubject(facts, extras, source);
}

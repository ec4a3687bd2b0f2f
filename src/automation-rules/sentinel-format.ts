import {
  CLASSIFICATION_REASONS,
  CLASSIFICATIONS,
  INCIDENT_STATUSES,
  REASONS_BY_CLASSIFICATION,
  SEVERITIES,
} from '../common/enums.js';
import { InputError } from '../errors/errors.js';
import type { OwnerInput } from '../users/owner.js';
import { OPERATORS, PROPERTY_NAMES } from './rule-properties.js';
import {
  ARRAY_CHANGED_TYPES,
  ARRAY_TYPES,
  CHANGE_TYPES,
  CHANGED_PROPERTIES,
  RULE_LIMITS,
  type Action,
  type Condition,
  type RuleInput,
  type Trigger,
} from './rule-schemas.js';

/**
 * Sentinel's automation-rule JSON (shared/sentinel/model.md §3) to Vigil's rule model. Pure: the
 * import service resolves analytics rules and owners. Everything that does not carry over is
 * reported with its path in the document; nulls and missing keys are the same thing.
 */

/** Something in the document, by path, and what happened to it. */
export interface Problem {
  path: string;
  message: string;
}

/** A Sentinel rule converted: the Vigil definition, or why it was skipped, and what did not carry over. */
export interface ConvertedRule {
  source: string;
  sourceId: string | null;
  name: string | null;
  input: RuleInput | null;
  skipped: string | null;
  /** A condition could not be represented: enabling the rule would make it match more (or less) than in Sentinel. */
  incomplete: boolean;
  /** A top-level `IncidentRelatedAnalyticRuleIds` Equals/Contains condition, to become the rule's analytics-rule scope. */
  scope: { values: string[]; path: string; condition: Condition } | null;
  /** assignOwner actions (by index in input.actions): who Sentinel named, most specific first. */
  owners: { index: number; path: string; candidates: OwnerInput[] }[];
  /** Where each of input.actions came from. */
  actionSources: string[];
  notRepresentable: Problem[];
  notes: Problem[];
  unresolved: Problem[];
}

/** A JSON object. */
export type Json = Record<string, unknown>;
/** Whether a value is a plain object. */
export const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An InputError (400) naming the path in the document. */
export const badInput = (path: string, message: string) => new InputError(`${path}: ${message}`, [{ path, message }]);

/** The value at path as an object, or undefined when missing; anything else is a 400. */
export function obj(v: unknown, path: string): Json | undefined {
  if (v === null || v === undefined) return undefined;
  if (isJson(v)) return v;
  throw badInput(path, 'must be an object');
}
/** The value at path as a list (missing is empty); anything else is a 400. */
export function list(v: unknown, path: string): unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw badInput(path, 'must be a list');
}
/** The value at path as a string, or undefined when missing; anything else is a 400. */
export function text(v: unknown, path: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  throw badInput(path, 'must be a string');
}
/** The value of `values` equal to `v` ignoring case. */
const pick = <T extends string>(values: readonly T[], v: string | undefined): T | undefined =>
  v === undefined ? undefined : values.find((x) => x.toLowerCase() === v.trim().toLowerCase());
const show = (v: unknown) => JSON.stringify(v ?? null);

const TRIGGERS: Record<string, Trigger> = {
  'incidents/created': 'incidentCreated',
  'incidents/updated': 'incidentUpdated',
  'alerts/created': 'alertCreated',
};

interface Ctx {
  lost: Problem[];
  notes: Problem[];
  incomplete: boolean;
}

function strings(v: unknown, path: string, x: Ctx, optional = false): string[] | null {
  const out: string[] = [];
  list(v, path).forEach((item, i) => {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else if (item === null || item === undefined) {
      x.lost.push({ path: `${path}[${i}]`, message: 'a null value was left out' });
      x.incomplete = true;
    } else throw badInput(`${path}[${i}]`, 'must be a string');
  });
  if (out.length > 0 || optional) return out;
  x.lost.push({ path, message: 'has no values; a Vigil condition needs at least one' });
  x.incomplete = true;
  return null;
}

function condition(c: unknown, path: string, x: Ctx): Condition | null {
  const o = obj(c, path) ?? {};
  const type = text(o.conditionType, `${path}.conditionType`);
  const pp = `${path}.conditionProperties`;
  const p = obj(o.conditionProperties, pp) ?? {};
  const lost = (where: string, message: string) => {
    x.lost.push({ path: where, message });
    x.incomplete = true;
    return null;
  };
  const field = <T extends string>(key: string, values: readonly T[], what: string): T | undefined => {
    const raw = text(p[key], `${pp}.${key}`);
    const found = pick(values, raw);
    const choices = values.length <= 10 ? ` (${values.join(', ')})` : '';
    if (!found) lost(`${pp}.${key}`, `${what} ${show(raw)} is not one Vigil supports${choices}`);
    return found;
  };
  const inner = (key: string) =>
    list(p[key], `${pp}.${key}`)
      .map((c2, i) => condition(c2, `${pp}.${key}[${i}]`, x))
      .filter((c2): c2 is Condition => c2 !== null);
  switch (type?.toLowerCase()) {
    case 'property': {
      const property = field('propertyName', PROPERTY_NAMES, 'property');
      const operator = property && field('operator', OPERATORS, 'operator');
      const values = operator && strings(p.propertyValues, `${pp}.propertyValues`, x);
      return values ? { type: 'property', property: property!, operator: operator!, values } : null;
    }
    case 'propertyarray': {
      const array = field('arrayType', ARRAY_TYPES, 'array type');
      const match = p.arrayConditionType == null ? 'AnyItem' : field('arrayConditionType', ['AnyItem', 'AllItems'], 'match');
      const conditions = array && match ? inner('itemConditions') : [];
      if (!array || !match) return null;
      if (conditions.length === 0) return lost(`${pp}.itemConditions`, 'has no condition Vigil can represent');
      return { type: 'propertyArray', array, match, conditions };
    }
    case 'propertychanged': {
      const property = field('propertyName', CHANGED_PROPERTIES, 'property');
      const change = property && field('changeType', CHANGE_TYPES, 'change type');
      if (!change) return null;
      const values = strings(p.propertyValues, `${pp}.propertyValues`, x, true)!;
      if (change === 'Changed' || values.length === 0) return { type: 'propertyChanged', property: property!, change: 'Changed' };
      const operator = p.operator == null ? 'Equals' : field('operator', OPERATORS, 'operator');
      if (p.operator == null) x.notes.push({ path: `${pp}.operator`, message: 'no operator: Equals assumed' });
      return operator ? { type: 'propertyChanged', property: property!, change, operator, values } : null;
    }
    case 'propertyarraychanged': {
      const array = field('arrayType', ARRAY_CHANGED_TYPES, 'array type');
      if (p.changeType != null && !field('changeType', ['Added'], 'change type')) return null;
      return array ? { type: 'propertyArrayChanged', array, change: 'Added' } : null;
    }
    case 'boolean': {
      const operator = field('operator', ['And', 'Or'], 'operator');
      const conditions = operator ? inner('innerConditions') : [];
      if (!operator) return null;
      if (conditions.length === 0) return lost(`${pp}.innerConditions`, 'has no condition Vigil can represent');
      return conditions.length === 1 ? conditions[0]! : { type: 'boolean', operator, conditions };
    }
    default:
      return lost(`${path}.conditionType`, `condition type ${show(type)} has no Vigil equivalent`);
  }
}

function classificationOf(cfg: Json, path: string, x: Ctx) {
  const raw = text(cfg.classification, `${path}.classification`);
  // The playbook connector's "ClassificationAndReason" form: "BenignPositive - SuspiciousButExpected".
  const [c, r] = raw?.includes('-') || raw?.includes('_') ? raw.split(/\s*[-_]\s*/) : [raw, undefined];
  const classification = pick(CLASSIFICATIONS, c);
  let reason = pick(CLASSIFICATION_REASONS, r ?? text(cfg.classificationReason, `${path}.classificationReason`));
  if (raw !== undefined && !classification)
    x.lost.push({ path: `${path}.classification`, message: `classification ${show(raw)} is not one Vigil knows` });
  if (classification && !reason && REASONS_BY_CLASSIFICATION[classification].length === 1) {
    reason = REASONS_BY_CLASSIFICATION[classification][0];
    x.notes.push({ path: `${path}.classificationReason`, message: `missing: ${reason}, the only reason for ${classification}` });
  }
  return { classification, reason };
}

function modifyProperties(cfg: Json, path: string, name: string, x: Ctx, owners: OwnerInput[][]): Action[] {
  const out: Action[] = [];
  const status = text(cfg.status, `${path}.status`);
  const { classification, reason } = classificationOf(cfg, path, x);
  let comment = text(cfg.classificationComment, `${path}.classificationComment`);
  if (status !== undefined) {
    const s = pick(INCIDENT_STATUSES, status);
    if (!s) x.lost.push({ path: `${path}.status`, message: `status ${show(status)} is not one Vigil knows` });
    else if (s === 'Closed' && !classification)
      x.lost.push({ path: `${path}.status`, message: 'closing needs a classification; the status change was left out' });
    else if (s === 'Closed' && classification !== 'Undetermined' && !reason)
      x.lost.push({
        path: `${path}.classificationReason`,
        message: `closing as ${classification} needs a reason; the status change was left out`,
      });
    else {
      if (s === 'Closed' && comment === undefined) {
        comment = `Closed by automation rule ${name}`;
        x.notes.push({
          path: `${path}.classificationComment`,
          message: `missing: set to "${comment}" (Vigil records a comment when closing)`,
        });
      }
      out.push({
        type: 'changeStatus',
        status: s,
        ...(classification && { classification }),
        ...(reason && { classificationReason: reason }),
        ...(comment !== undefined && { classificationComment: comment }),
      });
    }
  } else if (classification)
    x.lost.push({ path: `${path}.classification`, message: 'a classification without status Closed changes nothing in Vigil' });
  const severity = text(cfg.severity, `${path}.severity`);
  if (severity !== undefined) {
    const s = pick(SEVERITIES, severity);
    if (s) out.push({ type: 'changeSeverity', severity: s });
    else x.lost.push({ path: `${path}.severity`, message: `severity ${show(severity)} is not one Vigil knows` });
  }
  const owner = obj(cfg.owner, `${path}.owner`);
  if (owner) {
    const at = `${path}.owner`;
    const group = text(owner.ownerType, `${at}.ownerType`)?.toLowerCase() === 'group';
    const [email, upn, id, assignedTo] = ['email', 'userPrincipalName', 'objectId', 'assignedTo'].map((k) =>
      text(owner[k], `${at}.${k}`),
    );
    const candidates: OwnerInput[] = group
      ? [...(id ? [{ type: 'group' as const, id }] : []), ...(assignedTo ? [{ type: 'group' as const, name: assignedTo }] : [])]
      : [...(email ? [{ email }] : []), ...(upn && upn !== email ? [{ email: upn }] : []), ...(id ? [{ id }] : [])];
    if (candidates.length > 0) {
      owners.push(candidates);
      out.push({ type: 'assignOwner', owner: candidates[0]! });
    } else if (assignedTo)
      x.lost.push({ path: at, message: `owner ${show(assignedTo)} has no email, user principal name or id to find them by` });
  }
  const labels = list(cfg.labels, `${path}.labels`).flatMap((l, i) => {
    const label = typeof l === 'string' ? l : text(obj(l, `${path}.labels[${i}]`)?.labelName, `${path}.labels[${i}].labelName`);
    if (!label?.trim()) x.lost.push({ path: `${path}.labels[${i}]`, message: 'a label without a name was left out' });
    return label?.trim() ? [label.trim()] : [];
  });
  if (labels.length > 0) out.push({ type: 'addTags', tags: [...new Set(labels)] });
  return out;
}

function actions(raw: unknown, path: string, name: string, x: Ctx) {
  const out: { action: Action; source: string; owner?: OwnerInput[] }[] = [];
  const items = list(raw, path).map((a, i) => ({ a: obj(a, `${path}[${i}]`) ?? {}, at: `${path}[${i}]`, i }));
  items.sort((m, n) => (Number(m.a.order ?? Infinity) || 0) - (Number(n.a.order ?? Infinity) || 0) || m.i - n.i);
  for (const { a, at } of items) {
    const type = text(a.actionType, `${at}.actionType`);
    const cp = `${at}.actionConfiguration`;
    const cfg = obj(a.actionConfiguration, cp) ?? {};
    switch (type?.toLowerCase()) {
      case 'modifyproperties': {
        const owners: OwnerInput[][] = [];
        const made = modifyProperties(cfg, cp, name, x, owners);
        if (made.length === 0) x.notes.push({ path: at, message: 'changes nothing; left out' });
        for (const action of made) out.push({ action, source: at, ...(action.type === 'assignOwner' && { owner: owners[0] }) });
        break;
      }
      case 'runplaybook': {
        const id = text(cfg.logicAppResourceId, `${cp}.logicAppResourceId`);
        const playbook = id?.split('/').filter(Boolean).pop()?.trim();
        if (!playbook) x.lost.push({ path: `${cp}.logicAppResourceId`, message: 'no playbook to run' });
        else {
          out.push({ action: { type: 'runPlaybook', playbook }, source: at });
          x.notes.push({
            path: `${cp}.logicAppResourceId`,
            message: `playbook ${playbook} will run when a playbook of that name exists`,
          });
        }
        break;
      }
      case 'addincidenttask': {
        let title = text(cfg.title, `${cp}.title`)?.trim();
        let description = text(cfg.description, `${cp}.description`) ?? '';
        if (!title) x.lost.push({ path: `${cp}.title`, message: 'a task needs a title; left out' });
        else {
          if (title.length > 150)
            ((title = title.slice(0, 150)), x.lost.push({ path: `${cp}.title`, message: 'cut to 150 characters' }));
          if (description.length > 3000)
            ((description = description.slice(0, 3000)),
              x.lost.push({ path: `${cp}.description`, message: 'cut to 3000 characters' }));
          out.push({ action: { type: 'addTask', title, description }, source: at });
        }
        break;
      }
      default:
        x.lost.push({ path: `${at}.actionType`, message: `action type ${show(type)} has no Vigil equivalent` });
    }
  }
  return out;
}

/** A converted rule with nothing in it yet. */
export const blank = (source: string, sourceId: string | null): ConvertedRule => ({
  source,
  sourceId,
  name: null,
  input: null,
  skipped: null,
  incomplete: false,
  scope: null,
  owners: [],
  actionSources: [],
  notRepresentable: [],
  notes: [],
  unresolved: [],
});

/** Converts the `properties` of a Sentinel automation rule (REST or ARM) to a Vigil rule definition. */
export function fromSentinel(props: Json, path: string, sourceId: string | null = null): ConvertedRule {
  const x: Ctx = { lost: [], notes: [], incomplete: false };
  const result = (over: Partial<ConvertedRule>): ConvertedRule => ({
    ...blank(path, sourceId),
    incomplete: x.incomplete,
    notRepresentable: x.lost,
    notes: x.notes,
    ...over,
  });
  let name = text(props.displayName, `${path}.displayName`)?.trim();
  if (!name) throw badInput(`${path}.displayName`, 'is required');
  if (name.length > RULE_LIMITS.nameLength)
    ((name = name.slice(0, RULE_LIMITS.nameLength)),
      x.lost.push({ path: `${path}.displayName`, message: 'cut to 500 characters' }));
  let order = props.order == null ? 1000 : Number(props.order);
  if (!Number.isInteger(order)) throw badInput(`${path}.order`, 'must be a whole number');
  if (props.order == null) x.notes.push({ path: `${path}.order`, message: 'missing: 1000 (runs last)' });
  if (order < 1 || order > 1000)
    (x.lost.push({ path: `${path}.order`, message: `${order} is outside 1–1000; clamped` }),
      (order = Math.min(1000, Math.max(1, order))));
  const tp = `${path}.triggeringLogic`;
  const logic = obj(props.triggeringLogic, tp);
  if (!logic) throw badInput(tp, 'is required');
  const on = text(logic.triggersOn, `${tp}.triggersOn`);
  const when = text(logic.triggersWhen, `${tp}.triggersWhen`);
  if (!on) throw badInput(`${tp}.triggersOn`, 'is required');
  if (!when) throw badInput(`${tp}.triggersWhen`, 'is required');
  const trigger = TRIGGERS[`${on}/${when}`.toLowerCase()];
  if (logic.isEnabled != null && typeof logic.isEnabled !== 'boolean') throw badInput(`${tp}.isEnabled`, 'must be true or false');
  const expiry = text(logic.expirationTimeUtc, `${tp}.expirationTimeUtc`);
  if (expiry !== undefined && Number.isNaN(Date.parse(expiry))) throw badInput(`${tp}.expirationTimeUtc`, 'must be a date-time');
  if (!trigger) return result({ name, skipped: `triggersOn ${on} with triggersWhen ${when} has no Vigil trigger` });

  const conditions: Condition[] = [];
  const paths: string[] = [];
  list(logic.conditions, `${tp}.conditions`).forEach((c, i) => {
    const at = `${tp}.conditions[${i}]`;
    const converted = condition(c, at, x);
    if (converted) (conditions.push(converted), paths.push(at));
  });
  const scopeAt = conditions.findIndex(
    (c) =>
      c.type === 'property' &&
      c.property === (trigger === 'alertCreated' ? 'AlertAnalyticRuleIds' : 'IncidentRelatedAnalyticRuleIds') &&
      (c.operator === 'Equals' || c.operator === 'Contains'),
  );
  const scopeCondition = scopeAt >= 0 ? conditions.splice(scopeAt, 1)[0]! : null;
  const scopePath = scopeAt >= 0 ? paths.splice(scopeAt, 1)[0]! : '';
  if (trigger !== 'incidentUpdated') {
    const kept = conditions.filter((c, i) => {
      const change = c.type === 'propertyChanged' || c.type === 'propertyArrayChanged';
      if (change) x.lost.push({ path: paths[i]!, message: 'change conditions apply only to rules on incident updates' });
      return !change;
    });
    if (kept.length !== conditions.length) ((x.incomplete = true), conditions.splice(0, conditions.length, ...kept));
  }

  let made = actions(props.actions, `${path}.actions`, name, x);
  if (trigger === 'alertCreated')
    made = made.filter(({ action, source }) => {
      if (action.type !== 'runPlaybook') x.lost.push({ path: source, message: 'rules on alerts can only run playbooks' });
      return action.type === 'runPlaybook';
    });
  for (const extra of made.slice(RULE_LIMITS.actions))
    x.lost.push({ path: extra.source, message: `a Vigil rule holds at most ${RULE_LIMITS.actions} actions; left out` });
  made = made.slice(0, RULE_LIMITS.actions);
  if (made.length === 0) return result({ name, skipped: 'no action could be represented' });
  return result({
    name,
    incomplete: x.incomplete,
    input: {
      name,
      description: '',
      order,
      enabled: logic.isEnabled !== false,
      expiresAt: expiry === undefined ? null : new Date(expiry).toISOString(),
      trigger,
      analyticsRuleIds: null,
      conditions,
      actions: made.map((m) => m.action),
    },
    scope:
      scopeCondition && scopeCondition.type === 'property'
        ? { values: scopeCondition.values, path: scopePath, condition: scopeCondition }
        : null,
    owners: made.flatMap((m, index) => (m.owner ? [{ index, path: m.source, candidates: m.owner }] : [])),
    actionSources: made.map((m) => m.source),
  });
}

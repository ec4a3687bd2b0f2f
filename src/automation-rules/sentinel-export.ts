import type { Owner } from '../users/owner.js';
import type { StoredAction } from './rule-engine.js';
import type { Condition, RuleView, Trigger } from './rule-schemas.js';
import type { Json, Problem } from './sentinel-format.js';

/** Vigil rules written back in Sentinel's REST shape, naming what Sentinel cannot hold. */

/** What an export needs to name things Vigil does not have: the ARM scope, and analytics rules' source ids. */
export interface ExportScope {
  workspace: string;
  subscriptionId?: string;
  resourceGroup?: string;
  /** The id to write for an analytics rule: its source id (e.g. ARM id) when it has one. */
  analyticsRuleRef: (id: string) => string;
}

/** A saved rule, as the export reads it. */
export type ExportableRule = Pick<
  RuleView,
  | 'id'
  | 'name'
  | 'description'
  | 'order'
  | 'enabled'
  | 'expiresAt'
  | 'trigger'
  | 'analyticsRuleIds'
  | 'conditions'
  | 'etag'
  | 'createdAt'
  | 'updatedAt'
  | 'createdBy'
  | 'modifiedBy'
> & { actions: unknown[] };

/** A Vigil condition in Sentinel's shape. "Changed" (any change) is written as ChangedFrom with no values. */
export function conditionToSentinel(c: Condition): Json {
  const of = (conditionType: string, conditionProperties: Json) => ({ conditionType, conditionProperties });
  switch (c.type) {
    case 'property':
      return of('Property', { propertyName: c.property, operator: c.operator, propertyValues: c.values });
    case 'propertyArray':
      return of('PropertyArray', {
        arrayType: c.array,
        arrayConditionType: c.match,
        itemConditions: c.conditions.map(conditionToSentinel),
      });
    case 'propertyChanged':
      return of('PropertyChanged', {
        propertyName: c.property,
        changeType: c.change === 'Changed' ? 'ChangedFrom' : c.change,
        operator: c.change === 'Changed' ? null : (c.operator ?? null),
        propertyValues: c.change === 'Changed' ? [] : (c.values ?? []),
      });
    case 'propertyArrayChanged':
      return of('PropertyArrayChanged', { arrayType: c.array, changeType: 'Added' });
    case 'boolean':
      return of('Boolean', { operator: c.operator, innerConditions: c.conditions.map(conditionToSentinel) });
  }
}

const NO_CHANGES = {
  severity: null,
  status: null,
  classification: null,
  classificationReason: null,
  classificationComment: null,
  owner: null,
  labels: null,
};
const TRIGGER_OUT: Record<Trigger, [string, string]> = {
  incidentCreated: ['Incidents', 'Created'],
  incidentUpdated: ['Incidents', 'Updated'],
  alertCreated: ['Alerts', 'Created'],
};

/** A saved Vigil rule as a Sentinel REST resource (every key present, null when unset), and what Sentinel cannot hold. */
export function toSentinel(rule: ExportableRule, scope: ExportScope): { resource: Json; notRepresentable: Problem[] } {
  const lost: Problem[] = [];
  const sub = scope.subscriptionId ?? '00000000-0000-0000-0000-000000000000';
  const rg = scope.resourceGroup ?? 'vigil';
  const conditions = rule.conditions.map(conditionToSentinel);
  if (rule.analyticsRuleIds?.length)
    conditions.unshift(
      conditionToSentinel({
        type: 'property',
        property: rule.trigger === 'alertCreated' ? 'AlertAnalyticRuleIds' : 'IncidentRelatedAnalyticRuleIds',
        operator: 'Contains',
        values: rule.analyticsRuleIds.map(scope.analyticsRuleRef),
      }),
    );
  if (rule.description) lost.push({ path: 'description', message: 'Sentinel rules have no description' });
  const actions = (rule.actions as StoredAction[]).flatMap((a, i): Json[] => {
    const order = i + 1;
    const modify = (cfg: Json) => [{ order, actionType: 'ModifyProperties', actionConfiguration: { ...NO_CHANGES, ...cfg } }];
    switch (a.type) {
      case 'changeStatus':
        if (a.determination) lost.push({ path: `actions[${i}].determination`, message: 'Sentinel has no determination' });
        return modify({
          status: a.status,
          classification: a.classification ?? null,
          classificationReason: a.classificationReason ?? null,
          classificationComment: a.classificationComment ?? null,
        });
      case 'changeSeverity':
        return modify({ severity: a.severity });
      case 'assignOwner': {
        const o = a.owner as Partial<Owner>;
        const group = o.type === 'group';
        return modify({
          owner: {
            objectId: null,
            email: group ? null : (o.email ?? null),
            assignedTo: o.name ?? null,
            userPrincipalName: group ? null : (o.email ?? null),
            ownerType: group ? 'Group' : 'User',
          },
        });
      }
      case 'addTags':
        return modify({ labels: a.tags.map((labelName) => ({ labelName, labelType: null })) });
      case 'addTask':
        return [
          { order, actionType: 'AddIncidentTask', actionConfiguration: { title: a.title, description: a.description ?? null } },
        ];
      case 'runPlaybook':
        return [
          {
            order,
            actionType: 'RunPlaybook',
            actionConfiguration: {
              logicAppResourceId: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Logic/workflows/${a.playbook}`,
              tenantId: null,
            },
          },
        ];
      default:
        lost.push({ path: `actions[${i}]`, message: `Sentinel has no action like ${a.type}; left out` });
        return [];
    }
  });
  const client = (actor: { name: string }) => ({ email: null, name: actor.name, objectId: null, userPrincipalName: null });
  const [triggersOn, triggersWhen] = TRIGGER_OUT[rule.trigger];
  const resource = {
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${scope.workspace}/providers/Microsoft.SecurityInsights/automationRules/${rule.id}`,
    name: rule.id,
    etag: rule.etag,
    type: 'Microsoft.SecurityInsights/automationRules',
    properties: {
      displayName: rule.name,
      order: rule.order,
      triggeringLogic: { isEnabled: rule.enabled, expirationTimeUtc: rule.expiresAt, triggersOn, triggersWhen, conditions },
      actions,
      createdTimeUtc: rule.createdAt,
      lastModifiedTimeUtc: rule.updatedAt,
      createdBy: client(rule.createdBy),
      lastModifiedBy: client(rule.modifiedBy),
    },
  };
  return { resource, notRepresentable: lost };
}

import type { ActionType, Trigger } from '../api/automation-rules.js';
import { INCIDENT_STATUSES, SEVERITIES, TACTICS } from '../../../src/common/enums.js';
import {
  ITEM_PROPERTIES,
  OPERATORS,
  PROPERTIES,
  PROPERTY_NAMES,
  UPDATE_SOURCES,
  type Operator,
  type PropertyName,
} from '../../../src/automation-rules/rule-properties.js';

export { ITEM_PROPERTIES, OPERATORS, PROPERTY_NAMES, type Operator, type PropertyName };

/** The rule limits the API enforces (src/automation-rules/rule-schemas.ts RULE_LIMITS). */
export const LIMITS = { conditions: 50, actions: 20, groupMin: 2, groupMax: 10, name: 500 } as const;

/** Triggers with the words Sentinel's blade uses. */
export const TRIGGER_LABELS: Record<Trigger, string> = {
  incidentCreated: 'When incident is created',
  incidentUpdated: 'When incident is updated',
  alertCreated: 'When alert is created',
};

/** Triggers in a table cell. */
export const TRIGGER_SHORT: Record<Trigger, string> = {
  incidentCreated: 'Incident created',
  incidentUpdated: 'Incident updated',
  alertCreated: 'Alert created',
};

/** Action types as people name them (the list filter says "adds tasks", the summary "Add task"). */
export const ACTION_LABELS: Record<ActionType, { verb: string; filter: string }> = {
  changeStatus: { verb: 'Change status', filter: 'Changes status' },
  changeSeverity: { verb: 'Change severity', filter: 'Changes severity' },
  assignOwner: { verb: 'Assign owner', filter: 'Assigns an owner' },
  unassignOwner: { verb: 'Unassign owner', filter: 'Unassigns the owner' },
  addTags: { verb: 'Add tags', filter: 'Adds tags' },
  removeTags: { verb: 'Remove tags', filter: 'Removes tags' },
  addTask: { verb: 'Add task', filter: 'Adds tasks' },
  runPlaybook: { verb: 'Run playbook', filter: 'Runs playbooks' },
};

/** Every action type, in the order the "Add action" menu lists them. */
export const ACTION_TYPES = Object.keys(ACTION_LABELS) as ActionType[];

/** Operators as a sentence reads them: "Severity equals High". */
export const OPERATOR_LABELS: Record<Operator, string> = {
  Equals: 'equals',
  NotEquals: 'does not equal',
  Contains: 'contains',
  NotContains: 'does not contain',
  StartsWith: 'starts with',
  NotStartsWith: 'does not start with',
  EndsWith: 'ends with',
  NotEndsWith: 'does not end with',
};

const SPECIAL_LABELS: Partial<Record<PropertyName, string>> = {
  IncidentRelatedAnalyticRuleIds: 'Analytics rule',
  AlertAnalyticRuleIds: 'Alert analytics rule',
  IncidentLabel: 'Tag',
  IncidentProviderName: 'Incident provider',
  IncidentUpdatedBySource: 'Updated by',
  IncidentCustomDetailsKey: 'Custom details key',
  IncidentCustomDetailsValue: 'Custom details value',
  IncidentCustomDetectionRuleIds: 'Custom detection rule',
  IncidentAlertTitle: 'Alert title',
  AlertProductNames: 'Alert product name',
  AccountAadTenantId: 'Account Entra tenant ID',
  AccountAadUserId: 'Account Entra user ID',
  AccountNTDomain: 'Account NT domain',
  AccountPUID: 'Account PUID',
  AccountSid: 'Account SID',
  AccountUPNSuffix: 'Account UPN suffix',
  AzureResourceResourceId: 'Azure resource ID',
  AzureResourceSubscriptionId: 'Azure subscription ID',
  CloudApplicationAppId: 'Cloud application ID',
  CloudApplicationAppName: 'Cloud application name',
  DNSDomainName: 'DNS domain name',
  FileHashValue: 'File hash',
  HostAzureID: 'Host Azure ID',
  HostNetBiosName: 'Host NetBIOS name',
  HostNTDomain: 'Host NT domain',
  HostOSVersion: 'Host OS version',
  IoTDeviceId: 'IoT device ID',
  IoTDeviceName: 'IoT device name',
  IoTDeviceType: 'IoT device type',
  IoTDeviceVendor: 'IoT device vendor',
  IoTDeviceModel: 'IoT device model',
  IoTDeviceOperatingSystem: 'IoT device OS',
  IPAddress: 'IP address',
  MailboxUPN: 'Mailbox UPN',
  MailMessageSenderIP: 'Mail message sender IP',
  MailMessageP1Sender: 'Mail message P1 sender',
  MailMessageP2Sender: 'Mail message P2 sender',
  ProcessId: 'Process ID',
  Url: 'URL',
};

/** A property's friendly label: IncidentSeverity → "Severity", AccountName → "Account name". */
export function propertyLabel(name: PropertyName): string {
  const special = SPECIAL_LABELS[name];
  if (special) return special;
  const bare = name.startsWith('Incident') ? name.slice('Incident'.length) : name;
  const spaced = bare.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return spaced.charAt(0) + spaced.slice(1).toLowerCase();
}

/** Properties grouped as the condition picker shows them: the incident's, then its entities'. */
export const PROPERTY_GROUPS: { label: string; names: PropertyName[] }[] = [
  { label: 'Incident properties', names: PROPERTY_NAMES.filter((n) => PROPERTIES[n].from === 'incident') },
  {
    label: 'Entity properties',
    names: PROPERTY_NAMES.filter((n) => PROPERTIES[n].from === 'entity').sort((a, b) =>
      propertyLabel(a).localeCompare(propertyLabel(b)),
    ),
  },
];

/** Known values of a property, offered as suggestions (the person may still type any value). */
export function knownValues(name: string): readonly string[] {
  if (name === 'IncidentSeverity') return SEVERITIES;
  if (name === 'IncidentStatus') return INCIDENT_STATUSES;
  if (name === 'IncidentTactics') return TACTICS;
  if (name === 'IncidentUpdatedBySource') return UPDATE_SOURCES;
  return [];
}

/** The properties a "changed" condition can watch, and the lists an update can add to. */
export const CHANGED_LABELS = { IncidentSeverity: 'Severity', IncidentStatus: 'Status', IncidentOwner: 'Owner' } as const;
export const ARRAY_CHANGED_LABELS = { Alerts: 'Alerts', Labels: 'Tags', Tactics: 'Tactics', Comments: 'Comments' } as const;
export const ARRAY_LABELS = {
  CustomDetails: 'Custom details',
  CustomDetailValues: 'Custom detail values',
  IncidentLabels: 'Tags',
} as const;

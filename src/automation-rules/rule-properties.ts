import type { EntityKind } from '../entities/entity-kinds.js';

/**
 * The properties conditions can test (Sentinel's `AutomationRulePropertyConditionSupportedProperty`,
 * all 58 of the 2024-09-01 API, two of the preview, and `IncidentOwner`, a Vigil extra). Each reads
 * a list of strings from the rule's context; entity properties read the property of every entity
 * of that kind, so a condition on them matches when any entity matches.
 */
export type PropertySource = { from: 'incident'; field: IncidentField } | { from: 'entity'; kind: EntityKind; property: string };

export type IncidentField =
  | 'title'
  | 'description'
  | 'severity'
  | 'status'
  | 'owner'
  | 'analyticsRules'
  | 'tactics'
  | 'labels'
  | 'providers'
  | 'updatedBySource'
  | 'customDetailKeys'
  | 'customDetailValues'
  | 'alertProducts'
  | 'alertTitles'
  | 'customDetectionRules';

const incident = (field: IncidentField): PropertySource => ({ from: 'incident', field });
const entity = (kind: EntityKind, property: string): PropertySource => ({ from: 'entity', kind, property });

export const PROPERTIES = {
  IncidentTitle: incident('title'),
  IncidentDescription: incident('description'),
  IncidentSeverity: incident('severity'),
  IncidentStatus: incident('status'),
  IncidentOwner: incident('owner'),
  IncidentRelatedAnalyticRuleIds: incident('analyticsRules'),
  IncidentTactics: incident('tactics'),
  IncidentLabel: incident('labels'),
  IncidentProviderName: incident('providers'),
  IncidentUpdatedBySource: incident('updatedBySource'),
  IncidentCustomDetailsKey: incident('customDetailKeys'),
  IncidentCustomDetailsValue: incident('customDetailValues'),
  IncidentCustomDetectionRuleIds: incident('customDetectionRules'),
  IncidentAlertTitle: incident('alertTitles'),
  AccountAadTenantId: entity('Account', 'aadTenantId'),
  AccountAadUserId: entity('Account', 'aadUserId'),
  AccountName: entity('Account', 'accountName'),
  AccountNTDomain: entity('Account', 'ntDomain'),
  AccountPUID: entity('Account', 'puid'),
  AccountSid: entity('Account', 'sid'),
  AccountObjectGuid: entity('Account', 'objectGuid'),
  AccountUPNSuffix: entity('Account', 'upnSuffix'),
  AlertProductNames: incident('alertProducts'),
  AlertAnalyticRuleIds: incident('analyticsRules'),
  AzureResourceResourceId: entity('AzureResource', 'resourceId'),
  AzureResourceSubscriptionId: entity('AzureResource', 'subscriptionId'),
  CloudApplicationAppId: entity('CloudApplication', 'appId'),
  CloudApplicationAppName: entity('CloudApplication', 'appName'),
  DNSDomainName: entity('DnsResolution', 'domainName'),
  FileDirectory: entity('File', 'directory'),
  FileName: entity('File', 'fileName'),
  FileHashValue: entity('FileHash', 'hashValue'),
  HostAzureID: entity('Host', 'azureID'),
  HostName: entity('Host', 'hostName'),
  HostNetBiosName: entity('Host', 'netBiosName'),
  HostNTDomain: entity('Host', 'ntDomain'),
  HostOSVersion: entity('Host', 'osVersion'),
  IoTDeviceId: entity('IoTDevice', 'deviceId'),
  IoTDeviceName: entity('IoTDevice', 'deviceName'),
  IoTDeviceType: entity('IoTDevice', 'deviceType'),
  IoTDeviceVendor: entity('IoTDevice', 'vendor'),
  IoTDeviceModel: entity('IoTDevice', 'model'),
  IoTDeviceOperatingSystem: entity('IoTDevice', 'operatingSystem'),
  IPAddress: entity('Ip', 'address'),
  MailboxDisplayName: entity('Mailbox', 'displayName'),
  MailboxPrimaryAddress: entity('Mailbox', 'mailboxPrimaryAddress'),
  MailboxUPN: entity('Mailbox', 'upn'),
  MailMessageDeliveryAction: entity('MailMessage', 'deliveryAction'),
  MailMessageDeliveryLocation: entity('MailMessage', 'deliveryLocation'),
  MailMessageRecipient: entity('MailMessage', 'recipient'),
  MailMessageSenderIP: entity('MailMessage', 'senderIP'),
  MailMessageSubject: entity('MailMessage', 'subject'),
  MailMessageP1Sender: entity('MailMessage', 'p1Sender'),
  MailMessageP2Sender: entity('MailMessage', 'p2Sender'),
  MalwareCategory: entity('Malware', 'category'),
  MalwareName: entity('Malware', 'malwareName'),
  ProcessCommandLine: entity('Process', 'commandLine'),
  ProcessId: entity('Process', 'processId'),
  RegistryKey: entity('RegistryKey', 'key'),
  RegistryValueData: entity('RegistryValue', 'valueData'),
  Url: entity('Url', 'url'),
} as const satisfies Record<string, PropertySource>;

export type PropertyName = keyof typeof PROPERTIES;
export const PROPERTY_NAMES = Object.keys(PROPERTIES) as PropertyName[];

/** Properties that name an item inside an array condition (custom details, labels). */
export const ITEM_PROPERTIES = {
  CustomDetails: ['IncidentCustomDetailsKey', 'IncidentCustomDetailsValue'],
  CustomDetailValues: ['IncidentCustomDetailsValue'],
  IncidentLabels: ['IncidentLabel'],
} as const satisfies Record<string, readonly PropertyName[]>;

export const OPERATORS = [
  'Equals',
  'NotEquals',
  'Contains',
  'NotContains',
  'StartsWith',
  'NotStartsWith',
  'EndsWith',
  'NotEndsWith',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Values of `IncidentUpdatedBySource`: who made the change that triggered the rule. */
export const UPDATE_SOURCES = ['User', 'Application', 'AutomationRule', 'Playbook', 'AlertGrouping'] as const;
export type UpdateSource = (typeof UPDATE_SOURCES)[number];

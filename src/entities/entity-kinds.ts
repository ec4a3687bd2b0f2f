/**
 * Sentinel's entity kinds (shared/sentinel/model.md §5): for each, how to tell two descriptions of
 * the same thing apart (its identity, used to de-duplicate entities within an incident and to group
 * alerts) and how to name it for people.
 */

export const ENTITY_KINDS = [
  'Account',
  'Host',
  'Ip',
  'Url',
  'FileHash',
  'File',
  'Process',
  'DnsResolution',
  'AzureResource',
  'CloudApplication',
  'Malware',
  'RegistryKey',
  'RegistryValue',
  'SecurityGroup',
  'IoTDevice',
  'Mailbox',
  'MailCluster',
  'MailMessage',
  'SubmissionMail',
  'SecurityAlert',
  'Bookmark',
  'NetworkConnection',
  'HostLogonSession',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

type Properties = Record<string, unknown>;

const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
};

/** The first property that has a value, prefixed so that different identifiers never collide. */
function firstOf(...candidates: [prefix: string, value: () => string | undefined][]): string | undefined {
  for (const [prefix, value] of candidates) {
    const v = value();
    if (v !== undefined) return `${prefix}:${v}`;
  }
  return undefined;
}

const joined = (...parts: (string | undefined)[]) => (parts.every((part) => part !== undefined) ? parts.join('|') : undefined);

interface KindRules {
  identity(p: Properties): string | undefined;
  name(p: Properties): string | undefined;
}

const accountUpn = (p: Properties) => {
  const name = text(p.accountName);
  const suffix = text(p.upnSuffix);
  return name && suffix ? `${name}@${suffix}` : undefined;
};
const accountNt = (p: Properties) => {
  const name = text(p.accountName);
  const domain = text(p.ntDomain);
  return name && domain ? `${domain}\\${name}` : undefined;
};
const hostFqdn = (p: Properties) => {
  const host = text(p.hostName);
  const domain = text(p.dnsDomain);
  return host && domain ? `${host}.${domain}` : undefined;
};

const RULES: Record<EntityKind, KindRules> = {
  Account: {
    identity: (p) =>
      firstOf(
        ['aad', () => text(p.aadUserId)],
        ['sid', () => text(p.sid)],
        ['guid', () => text(p.objectGuid)],
        ['puid', () => text(p.puid)],
        ['upn', () => accountUpn(p)],
        ['nt', () => accountNt(p)],
        ['name', () => text(p.accountName)],
        ['display', () => text(p.displayName)],
      ),
    name: (p) => accountUpn(p) ?? accountNt(p) ?? text(p.accountName) ?? text(p.displayName) ?? text(p.aadUserId) ?? text(p.sid),
  },
  Host: {
    identity: (p) =>
      firstOf(
        ['azure', () => text(p.azureID)],
        ['fqdn', () => hostFqdn(p)],
        ['name', () => text(p.hostName) ?? text(p.netBiosName)],
        ['oms', () => text(p.omsAgentID)],
      ),
    name: (p) => text(p.hostName) ?? text(p.netBiosName) ?? text(p.azureID) ?? text(p.omsAgentID),
  },
  Ip: { identity: (p) => firstOf(['ip', () => text(p.address)]), name: (p) => text(p.address) },
  Url: { identity: (p) => firstOf(['url', () => text(p.url)]), name: (p) => text(p.url) },
  FileHash: {
    identity: (p) => firstOf(['hash', () => joined(text(p.algorithm) ?? 'Unknown', text(p.hashValue))]),
    name: (p) => text(p.hashValue),
  },
  File: {
    identity: (p) => firstOf(['path', () => joined(text(p.directory), text(p.fileName))], ['name', () => text(p.fileName)]),
    name: (p) => text(p.fileName),
  },
  Process: {
    identity: (p) =>
      firstOf(
        ['pid', () => joined(text(p.processId), text(p.creationTimeUtc))],
        ['cmd', () => text(p.commandLine)],
        ['pid', () => text(p.processId)],
      ),
    name: (p) => text(p.commandLine) ?? text(p.processId),
  },
  DnsResolution: { identity: (p) => firstOf(['dns', () => text(p.domainName)]), name: (p) => text(p.domainName) },
  AzureResource: { identity: (p) => firstOf(['res', () => text(p.resourceId)]), name: (p) => text(p.resourceId) },
  CloudApplication: {
    identity: (p) => firstOf(['app', () => text(p.appId)], ['name', () => text(p.appName)]),
    name: (p) => text(p.appName) ?? text(p.appId),
  },
  Malware: {
    identity: (p) => firstOf(['malware', () => text(p.malwareName)]),
    name: (p) => text(p.malwareName),
  },
  RegistryKey: {
    identity: (p) => firstOf(['key', () => joined(text(p.hive) ?? '', text(p.key))]),
    name: (p) => [text(p.hive), text(p.key)].filter(Boolean).join('\\') || undefined,
  },
  RegistryValue: {
    identity: (p) => firstOf(['value', () => joined(text(p.valueName) ?? '', text(p.valueData) ?? '')]),
    name: (p) => text(p.valueName) ?? text(p.valueData),
  },
  SecurityGroup: {
    identity: (p) =>
      firstOf(['guid', () => text(p.objectGuid)], ['sid', () => text(p.sid)], ['dn', () => text(p.distinguishedName)]),
    name: (p) => text(p.distinguishedName) ?? text(p.sid) ?? text(p.objectGuid),
  },
  IoTDevice: {
    identity: (p) => firstOf(['device', () => text(p.deviceId)], ['name', () => text(p.deviceName)]),
    name: (p) => text(p.deviceName) ?? text(p.deviceId),
  },
  Mailbox: {
    identity: (p) =>
      firstOf(
        ['smtp', () => text(p.mailboxPrimaryAddress)],
        ['upn', () => text(p.upn)],
        ['oid', () => text(p.externalDirectoryObjectId)],
      ),
    name: (p) => text(p.mailboxPrimaryAddress) ?? text(p.upn) ?? text(p.displayName),
  },
  MailCluster: {
    identity: (p) => firstOf(['cluster', () => joined(text(p.clusterSourceIdentifier) ?? '', text(p.query))]),
    name: (p) => text(p.clusterSourceIdentifier) ?? text(p.query),
  },
  MailMessage: {
    identity: (p) =>
      firstOf(
        ['msg', () => joined(text(p.networkMessageId), text(p.recipient) ?? '')],
        ['imid', () => text(p.internetMessageId)],
      ),
    name: (p) => text(p.subject) ?? text(p.internetMessageId) ?? text(p.networkMessageId),
  },
  SubmissionMail: {
    identity: (p) => firstOf(['submission', () => joined(text(p.submissionId), text(p.networkMessageId) ?? '')]),
    name: (p) => text(p.subject) ?? text(p.submissionId),
  },
  SecurityAlert: {
    identity: (p) => firstOf(['alert', () => text(p.systemAlertId) ?? text(p.providerAlertId)]),
    name: (p) => text(p.alertDisplayName),
  },
  Bookmark: {
    identity: (p) => firstOf(['bookmark', () => joined(text(p.displayName), text(p.query) ?? '')]),
    name: (p) => text(p.displayName),
  },
  NetworkConnection: {
    identity: (p) =>
      firstOf([
        'conn',
        () =>
          joined(
            text(p.sourceAddress) ?? '',
            text(p.sourcePort) ?? '',
            text(p.destinationAddress) ?? '',
            text(p.destinationPort) ?? '',
            text(p.protocol) ?? '',
          ),
      ]),
    name: (p) => [text(p.sourceAddress), text(p.destinationAddress)].filter(Boolean).join(' → ') || undefined,
  },
  HostLogonSession: {
    identity: (p) => firstOf(['session', () => joined(text(p.sessionId), text(p.startTimeUtc) ?? '')]),
    name: (p) => text(p.sessionId),
  },
};

const KIND_BY_KEY = new Map<string, EntityKind>(ENTITY_KINDS.map((kind) => [kind.toLowerCase(), kind] as [string, EntityKind]));
// Spellings used by Sentinel's alert entities (the `Type` field) and by other sources.
for (const [alias, kind] of [
  ['ip-address', 'Ip'],
  ['ipaddress', 'Ip'],
  ['dns', 'DnsResolution'],
  ['registry-key', 'RegistryKey'],
  ['registry-value', 'RegistryValue'],
  ['cloud-application', 'CloudApplication'],
  ['azure-resource', 'AzureResource'],
  ['security-group', 'SecurityGroup'],
  ['iot-device', 'IoTDevice'],
  ['mail-message', 'MailMessage'],
  ['mail-cluster', 'MailCluster'],
  ['submission-mail', 'SubmissionMail'],
  ['security-alert', 'SecurityAlert'],
  ['network-connection', 'NetworkConnection'],
  ['host-logon-session', 'HostLogonSession'],
  ['file-hash', 'FileHash'],
] as const) {
  KIND_BY_KEY.set(alias, kind);
}

/** Resolves a kind as written by any source ("account", "Account", "registry-key") to its canonical name. */
export function resolveEntityKind(value: string): EntityKind | undefined {
  return KIND_BY_KEY.get(value.trim().toLowerCase());
}

/**
 * The entity's identity: equal for two descriptions of the same account, host, IP… Case-insensitive.
 * Entities with no identifying property are identified by all their properties.
 */
export function entityIdentity(kind: EntityKind, properties: Properties): string {
  const identity = RULES[kind].identity(properties) ?? `props:${stableStringify(properties)}`;
  return identity.toLowerCase();
}

/** A short name for people (the friendlyName). */
export function entityDisplayName(kind: EntityKind, properties: Properties): string {
  return text(properties.friendlyName) ?? RULES[kind].name(properties) ?? kind;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Properties)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

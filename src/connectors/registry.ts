import type { ActionDefinition, ConnectorDefinition } from './action.js';
import type { ConnectorAction, ConnectorDeps } from './connector-kit.js';
import { createEmailConnector } from './email/email-connector.js';
import { createHttpConnector } from './http/http-connector.js';
import { createIdentityConnector } from './identity/identity-connector.js';
import { parseAllowlist } from './outbound/allowlist.js';
import type { HostResolver } from './outbound/egress-guard.js';
import { createTokenCache, type TokenCache } from './outbound/oauth2.js';
import { createSlackConnector } from './slack/slack-connector.js';
import { createTeamsConnector } from './teams/teams-connector.js';
import { createVirusTotalConnector } from './virustotal/virustotal-connector.js';

/** Server-wide options of the external connectors. */
export interface ConnectorOptions {
  /** `VIGIL_EGRESS_ALLOWLIST`: comma-separated hosts, IPs or networks (optionally `:port`) every connection may reach. */
  egressAllowlist?: string | readonly string[];
  /** How host names are resolved (default: node:dns lookup); for tests. */
  resolve?: HostResolver;
  /** The OAuth2 token cache (default: a new one). */
  tokens?: TokenCache;
}

/** Builds the external connectors; throws at once when the server allowlist has an invalid entry. */
export function createConnectors(options: ConnectorOptions = {}): ConnectorDefinition[] {
  try {
    parseAllowlist(options.egressAllowlist);
  } catch (error) {
    throw new Error(`VIGIL_EGRESS_ALLOWLIST: ${(error as Error).message}`);
  }
  const deps: ConnectorDeps = {
    egress: { allowlist: options.egressAllowlist, resolve: options.resolve },
    tokens: options.tokens ?? createTokenCache(),
  };
  return [
    createHttpConnector(deps),
    createEmailConnector(deps),
    createSlackConnector(deps),
    createTeamsConnector(deps),
    createVirusTotalConnector(deps),
    createIdentityConnector(deps),
  ];
}

/** The external connectors with no server-wide allowlist (build your own with createConnectors to pass one). */
export const CONNECTORS: ConnectorDefinition[] = createConnectors();

/** The connector with this id. */
export function findConnector(
  id: string,
  connectors: readonly ConnectorDefinition[] = CONNECTORS,
): ConnectorDefinition | undefined {
  return connectors.find((c) => c.id === id);
}

/** The action a step's `uses:` names (`connector.action`), with its connector. */
export function findAction(
  id: string,
  connectors: readonly ConnectorDefinition[] = CONNECTORS,
): { connector: ConnectorDefinition; action: ActionDefinition } | undefined {
  const connector = findConnector(id.slice(0, id.indexOf('.')), connectors);
  const action = connector?.actions.find((a) => a.id === id);
  return connector && action ? { connector, action } : undefined;
}

/** Output fields of an action whose values are secrets (e.g. a generated password): redact them in run logs. */
export function secretOutputsOf(action: ActionDefinition): string[] {
  return (action as ConnectorAction).secretOutputs ?? [];
}

import type { ConnectorDefinition } from '../action.js';
import { redactingTest, withSecretRedaction, type ConnectorDeps } from '../connector-kit.js';
import { virusTotalReportActions } from './report-actions.js';
import { virusTotalGet } from './virustotal-client.js';
import { virusTotalSecrets, virusTotalSettings } from './virustotal-schemas.js';

/** The VirusTotal connector (API v3): IP, domain, URL and file reports. */
export function createVirusTotalConnector(deps: ConnectorDeps): ConnectorDefinition {
  return {
    id: 'virustotal',
    title: 'VirusTotal',
    description: 'Reputation of IP addresses, domains, URLs and files from VirusTotal (API v3).',
    connection: 'required',
    settings: virusTotalSettings,
    secrets: virusTotalSecrets,
    // One lookup of a well-known address: cheap, and proves the key works.
    test: redactingTest(
      async (connection, signal) => void (await virusTotalGet(deps, connection, 'ip_addresses/8.8.8.8', signal)),
    ),
    actions: virusTotalReportActions(deps).map(withSecretRedaction),
  };
}

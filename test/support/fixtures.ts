import { randomUUID } from 'node:crypto';

let counter = 0;

/** A valid alert with sensible defaults; override any field. */
export function alert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    sourceAlertId: `alert-${counter}-${randomUUID()}`,
    title: 'Suspicious sign-in',
    severity: 'Medium',
    productName: 'Microsoft Entra ID Protection',
    vendorName: 'Microsoft',
    startTime: '2026-11-01T10:00:00Z',
    endTime: '2026-11-01T10:05:00Z',
    entities: [{ kind: 'Account', accountName: 'alice', upnSuffix: 'contoso.com' }],
    ...overrides,
  };
}

/** An incident creation body. */
export function incidentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: 'Manual incident', severity: 'Medium', ...overrides };
}

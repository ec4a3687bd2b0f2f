import { random } from './stats.js';

/** Analytics rules of the ingest workload: a mix of grouping settings, as a SOC has. */
export function benchRules(): Record<string, unknown>[] {
  return Array.from({ length: 20 }, (_, i) => ({
    externalId: `bench-rule-${i}`,
    name: `Benchmark rule ${i}`,
    severity: (['High', 'Medium', 'Low'] as const)[i % 3],
    grouping:
      i < 10
        ? { mode: 'allEntities', lookbackMinutes: 300 }
        : i < 15
          ? { mode: 'selected', entityKinds: ['Host'], lookbackMinutes: 300 }
          : { mode: 'none' },
  }));
}

/**
 * Deterministic alerts: 20 rules, 2–4 entities each from pools of 2,000 accounts, 1,000 hosts and
 * 5,000 addresses, 50 ms apart, so about half of the grouped rules' alerts join an existing incident.
 */
export function benchAlerts(count: number, seed = 42): Record<string, unknown>[] {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const base = Date.parse('2026-11-01T00:00:00Z');
  const severities = ['High', 'Medium', 'Low', 'Informational'];
  const tactics = ['InitialAccess', 'Execution', 'CredentialAccess', 'LateralMovement', 'Exfiltration'];
  return Array.from({ length: count }, (_, i) => {
    const rule = pick(20);
    const account = pick(rule < 10 ? 200 : 2000);
    const host = pick(rule < 15 ? 100 : 1000);
    const entities: Record<string, unknown>[] = [
      { kind: 'Account', accountName: `user${account}`, upnSuffix: 'contoso.com' },
      { kind: 'Host', hostName: `host-${host}`, dnsDomain: 'corp.contoso.com' },
    ];
    if (next() < 0.6) entities.push({ kind: 'Ip', address: `10.${pick(20)}.${pick(250)}.${pick(250)}` });
    if (next() < 0.3)
      entities.push({ kind: 'FileHash', algorithm: 'SHA256', hashValue: `${pick(1e9).toString(16).padStart(8, '0')}`.repeat(8) });
    const time = new Date(base + i * 50).toISOString();
    return {
      sourceAlertId: `bench-${seed}-${i}`,
      title: `Benchmark detection ${rule}`,
      description: 'Synthetic alert for the ingestion benchmark.',
      severity: severities[pick(4)],
      productName: ['Microsoft Defender for Endpoint', 'Microsoft Sentinel', 'CrowdStrike Falcon'][rule % 3],
      vendorName: 'Bench',
      analyticsRuleId: `bench-rule-${rule}`,
      analyticsRuleName: `Benchmark rule ${rule}`,
      tactics: [tactics[pick(tactics.length)]],
      startTime: time,
      endTime: time,
      customDetails: { Sequence: i },
      entities,
    };
  });
}

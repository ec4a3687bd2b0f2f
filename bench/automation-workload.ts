/**
 * 50 automation rules of the kinds a SOC writes: 20 add tasks (2 for every incident, 18 for one
 * analytics rule each), 20 test entities (hosts, accounts, addresses) and 10 incident properties
 * (severity, tactics, title, products), mostly adding tags; a few change severity or owner.
 */
export function automationRules(): Record<string, unknown>[] {
  const rules: Record<string, unknown>[] = [];
  rules.push({
    name: 'Standard triage 1',
    order: 1,
    trigger: 'incidentCreated',
    actions: [{ type: 'addTask', title: 'Review the alerts and entities' }],
  });
  rules.push({
    name: 'Standard triage 2',
    order: 2,
    trigger: 'incidentCreated',
    actions: [{ type: 'addTask', title: 'Decide: true or false positive' }],
  });
  for (let i = 0; i < 18; i += 1) {
    rules.push({
      name: `Procedure for rule ${i}`,
      order: 10 + i,
      trigger: 'incidentCreated',
      analyticsRuleIds: [`bench-rule-${i}`],
      actions: [{ type: 'addTask', title: `Procedure step for detection ${i}`, description: 'Follow the runbook.' }],
    });
  }
  for (let i = 0; i < 20; i += 1) {
    const condition =
      i % 3 === 0
        ? { type: 'property', property: 'HostName', operator: 'StartsWith', values: [`host-${i}`] }
        : i % 3 === 1
          ? { type: 'property', property: 'AccountName', operator: 'Equals', values: [`user${i}`, `user${i + 100}`] }
          : { type: 'property', property: 'IPAddress', operator: 'StartsWith', values: [`10.${i}.`] };
    rules.push({
      name: `Entity rule ${i}`,
      order: 100 + i,
      trigger: 'incidentCreated',
      conditions: [condition, { type: 'property', property: 'IncidentStatus', operator: 'NotEquals', values: ['Closed'] }],
      actions: [{ type: 'addTags', tags: [`watch-${i}`] }],
    });
  }
  const properties = [
    { type: 'property', property: 'IncidentSeverity', operator: 'Equals', values: ['High'] },
    { type: 'property', property: 'IncidentTactics', operator: 'Contains', values: ['CredentialAccess'] },
    { type: 'property', property: 'IncidentTitle', operator: 'Contains', values: ['detection 7'] },
    { type: 'property', property: 'AlertProductNames', operator: 'Equals', values: ['CrowdStrike Falcon'] },
    {
      type: 'boolean',
      operator: 'Or',
      conditions: [
        { type: 'property', property: 'IncidentSeverity', operator: 'Equals', values: ['Low'] },
        { type: 'property', property: 'IncidentTactics', operator: 'Contains', values: ['Exfiltration'] },
      ],
    },
  ];
  for (let i = 0; i < 10; i += 1) {
    rules.push({
      name: `Property rule ${i}`,
      order: 200 + i,
      trigger: 'incidentCreated',
      conditions: [properties[i % properties.length]],
      actions:
        i === 0
          ? [
              { type: 'changeSeverity', severity: 'High' },
              { type: 'addTags', tags: ['p0'] },
            ]
          : [{ type: 'addTags', tags: [`prop-${i}`] }],
    });
  }
  return rules;
}

/** 10 incident-updated rules that all fire when an incident's severity changes. */
export function updateRules(): Record<string, unknown>[] {
  return Array.from({ length: 10 }, (_, i) => ({
    name: `On severity change ${i}`,
    order: 300 + i,
    trigger: 'incidentUpdated',
    conditions: [
      { type: 'propertyChanged', property: 'IncidentSeverity', change: 'Changed' },
      { type: 'property', property: 'IncidentTitle', operator: 'Contains', values: ['bench'] },
    ],
    actions:
      i < 2
        ? [{ type: 'addTask', title: `Re-assess after severity change ${i}` }]
        : [{ type: 'addTags', tags: [`reviewed-${i}`] }],
  }));
}

import { describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../incidents/index.js';
import type { AlertContribution } from './alert-repository.js';
import { incidentWithoutAlert } from './alert-removal.js';

const T0 = Date.parse('2026-11-01T10:00:00Z');
const MIN = 60_000;
const NO_NAMES = { hosts: [], accounts: [] };

function contribution(id: string, overrides: Partial<AlertContribution> = {}): AlertContribution {
  return {
    id,
    title: `alert ${id}`,
    severity: 'Medium',
    product_name: 'Defender',
    analytics_rule_id: 'rule-1',
    tactics: '[]',
    techniques: '[]',
    tags: '[]',
    start_time: T0,
    end_time: T0 + MIN,
    alert_time: T0 + MIN,
    ...overrides,
  };
}

function incident(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    workspaceId: 'ws',
    id: 'i1',
    number: 1,
    title: 'alert a',
    titleSource: 'alert',
    description: '',
    severity: 'High',
    severitySource: 'alerts',
    status: 'Active',
    owner: null,
    classification: null,
    classificationReason: null,
    classificationComment: null,
    determination: null,
    tags: [],
    systemTags: [],
    tactics: [],
    techniques: [],
    productNames: ['Defender'],
    analyticsRuleIds: ['rule-1'],
    firstActivityAt: T0,
    lastActivityAt: T0 + MIN,
    alertCount: 2,
    commentCount: 0,
    taskCount: 0,
    taskCompletedCount: 0,
    groupingKey: null,
    groupingWindowStart: null,
    createdBy: { type: 'system', id: 'grouping', name: 'Alert grouping' },
    createdAt: T0,
    updatedAt: T0,
    closedAt: null,
    version: 3,
    ...overrides,
  };
}

describe('an incident after one of its alerts left', () => {
  it('drops only what the leaving alert alone gave; values of other alerts and values set by hand stay', () => {
    const leaving = contribution('a', {
      product_name: 'Sentinel',
      analytics_rule_id: 'rule-2',
      tactics: '["Execution","Persistence"]',
      tags: '["ransomware"]',
    });
    const staying = contribution('b', { tactics: '["persistence"]' });
    const current = incident({
      productNames: ['Defender', 'Sentinel'],
      analyticsRuleIds: ['rule-1', 'rule-2'],
      tactics: ['Execution', 'Persistence', 'Impact'],
      systemTags: ['ransomware'],
    });
    const { record, changes } = incidentWithoutAlert(current, leaving, [staying], NO_NAMES, T0 + 9 * MIN);
    expect(record).toMatchObject({
      alertCount: 1,
      productNames: ['Defender'],
      analyticsRuleIds: ['rule-1'],
      tactics: ['Persistence', 'Impact'],
      systemTags: [],
      severity: 'Medium',
      updatedAt: T0 + 9 * MIN,
      version: 3,
    });
    expect(changes).toEqual([
      { field: 'alerts', from: [{ id: 'a', title: 'alert a' }], to: null },
      { field: 'severity', from: 'High', to: 'Medium' },
      { field: 'systemTags', from: ['ransomware'], to: [] },
      { field: 'tactics', from: ['Execution', 'Persistence', 'Impact'], to: ['Persistence', 'Impact'] },
    ]);
  });

  it('recomputes activity times the leaving alert set, and keeps times set otherwise', () => {
    const leaving = contribution('a', { start_time: T0 - 60 * MIN, end_time: T0 + 60 * MIN });
    const staying = contribution('b', { start_time: T0, end_time: T0 + MIN });
    const byAlerts = incident({ firstActivityAt: T0 - 60 * MIN, lastActivityAt: T0 + 60 * MIN });
    expect(incidentWithoutAlert(byAlerts, leaving, [staying], NO_NAMES, T0).record).toMatchObject({
      firstActivityAt: T0,
      lastActivityAt: T0 + MIN,
    });
    const byHand = incident({ firstActivityAt: T0 - 120 * MIN, lastActivityAt: T0 + 120 * MIN });
    expect(incidentWithoutAlert(byHand, leaving, [staying], NO_NAMES, T0).record).toMatchObject({
      firstActivityAt: T0 - 120 * MIN,
      lastActivityAt: T0 + 120 * MIN,
    });
    expect(incidentWithoutAlert(byAlerts, leaving, [], NO_NAMES, T0).record).toMatchObject({
      alertCount: 0,
      firstActivityAt: null,
      lastActivityAt: null,
      severity: 'Informational',
    });
  });

  it('keeps a severity and a title set by hand', () => {
    const pinned = incident({ severity: 'High', severitySource: 'manual', title: 'Mine', titleSource: 'manual' });
    const { record, changes } = incidentWithoutAlert(pinned, contribution('a', { severity: 'High' }), [], NO_NAMES, T0);
    expect(record).toMatchObject({ severity: 'High', title: 'Mine' });
    expect(changes.map((c) => c.field)).toEqual(['alerts']);
  });

  it('a generated title follows the remaining alerts; one shared title becomes the title again', () => {
    const generated = incident({ title: 'Multi-stage incident involving 3 alerts', titleSource: 'generated', alertCount: 3 });
    const names = { hosts: ['web01'], accounts: [] };
    const two = incidentWithoutAlert(generated, contribution('a'), [contribution('b'), contribution('c')], names, T0);
    expect(two.record).toMatchObject({
      title: 'Multi-stage incident involving 2 alerts on host web01',
      titleSource: 'generated',
    });
    const same = [contribution('b', { title: 'Phish' }), contribution('c', { title: 'Phish' })];
    expect(incidentWithoutAlert(generated, contribution('a'), same, names, T0).record).toMatchObject({
      title: 'Phish',
      titleSource: 'alert',
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../events/index.js';
import type { Incident } from '../incidents/index.js';
import { eventKinds, hostGroupsOf, matchesFilters, wantedKinds } from './notification-matching.js';
import type { StoredFilters } from './notification-repository.js';

const NO_FILTERS: StoredFilters = { severities: [], products: [], analyticsRuleIds: [], tags: [], hostGroups: [] };

const event = (action: string, changes: OutboxEvent['changes'] = []): OutboxEvent => ({
  workspaceId: 'ws',
  id: 'e1',
  action,
  types: ['incident.updated'],
  incidentId: 'i1',
  actor: { type: 'user', id: 'u1', name: 'Alice' },
  changes,
  subjectId: null,
  at: 0,
});

const incident = (overrides: Partial<Incident> = {}): Incident =>
  ({
    id: 'i1',
    number: 7,
    title: 'Ransomware on web01',
    severity: 'High',
    status: 'New',
    owner: null,
    tags: ['Finance'],
    systemTags: ['Ransomware'],
    alertProductNames: ['Microsoft Defender for Endpoint'],
    analyticsRuleIds: ['rule-1'],
    ...overrides,
  }) as Incident;

describe('eventKinds', () => {
  it('names what an event is: created, the changed fields that count, new alerts, comments', () => {
    expect(eventKinds(event('incidentCreated'))).toEqual(['created']);
    expect(
      eventKinds(
        event('incidentUpdated', [
          { field: 'status', from: 'New', to: 'Active' },
          { field: 'owner', from: null, to: { name: 'Bob' } },
          { field: 'tags', from: [], to: ['x'] },
        ]),
      ),
    ).toEqual(['status', 'owner']);
    expect(eventKinds(event('incidentUpdated', [{ field: 'title', from: 'a', to: 'b' }]))).toEqual([]);
    expect(
      eventKinds(
        event('alertsAdded', [
          { field: 'alerts', from: null, to: [{ id: 'a' }] },
          { field: 'severity', from: 'Low', to: 'High' },
        ]),
      ),
    ).toEqual(['alerts', 'severity']);
    expect(eventKinds(event('commentAdded'))).toEqual(['comments']);
    expect(eventKinds(event('taskAdded'))).toEqual([]);
  });

  it('keeps only the kinds a rule asks for', () => {
    expect(wantedKinds({ onCreated: false, onUpdates: ['status'] }, ['created'])).toEqual([]);
    expect(wantedKinds({ onCreated: true, onUpdates: [] }, ['created'])).toEqual(['created']);
    expect(wantedKinds({ onCreated: false, onUpdates: ['comments', 'owner'] }, ['status', 'owner'])).toEqual(['owner']);
  });
});

describe('matchesFilters', () => {
  it('lets everything through without filters', () => {
    expect(matchesFilters(NO_FILTERS, incident(), [])).toBe(true);
  });

  it('needs every filter given to match, any of its values, products and tags ignoring case', () => {
    const filters = { ...NO_FILTERS, severities: ['High' as const], products: ['microsoft defender for endpoint'] };
    expect(matchesFilters(filters, incident(), [])).toBe(true);
    expect(matchesFilters(filters, incident({ severity: 'Medium' }), [])).toBe(false);
    expect(matchesFilters(filters, incident({ alertProductNames: ['Other'] }), [])).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, analyticsRuleIds: ['rule-2', 'rule-1'] }, incident(), [])).toBe(true);
    expect(matchesFilters({ ...NO_FILTERS, analyticsRuleIds: ['rule-2'] }, incident(), [])).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, tags: ['finance'] }, incident(), [])).toBe(true);
    expect(matchesFilters({ ...NO_FILTERS, tags: ['ransomware'] }, incident(), []), 'system tags count').toBe(true);
    expect(matchesFilters({ ...NO_FILTERS, tags: ['hr'] }, incident(), [])).toBe(false);
  });

  it('matches a host group from the hosts or from a hostGroup: tag', () => {
    const filters = { ...NO_FILTERS, hostGroups: ['Tier0 Servers'] };
    expect(matchesFilters(filters, incident(), ['tier0 servers'])).toBe(true);
    expect(matchesFilters(filters, incident(), ['Workstations'])).toBe(false);
    expect(matchesFilters(filters, incident({ tags: ['hostGroup:Tier0 Servers'] }), [])).toBe(true);
    expect(matchesFilters(filters, incident({ tags: ['Tier0 Servers'] }), [])).toBe(false);
  });
});

describe('hostGroupsOf', () => {
  it("reads a Host's group properties and the resource group of its azureID", () => {
    expect(hostGroupsOf({ hostName: 'web01', hostGroup: 'DMZ' })).toEqual(['DMZ']);
    expect(hostGroupsOf({ deviceGroup: 'Laptops', machineGroup: ['Finance', ''], rbacGroupName: 'EU' })).toEqual([
      'Laptops',
      'Finance',
      'EU',
    ]);
    expect(
      hostGroupsOf({ azureID: '/subscriptions/s1/resourceGroups/prod-web/providers/Microsoft.Compute/virtualMachines/web01' }),
    ).toEqual(['prod-web']);
    expect(hostGroupsOf({ hostName: 'x', azureID: 'not-a-resource-id' })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPING, type Grouping } from '../analytics-rules/grouping.js';
import { normalizeEntities } from '../entities/entity-normalize.js';
import type { PreparedAlert } from './alert-input.js';
import { groupingKey, placeAlerts, type AlertToPlace, type GroupCandidate } from './grouping-plan.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-01T10:00:00Z');

function prepared(minutes: number, entities: unknown[] = [], customDetails: Record<string, string[]> = {}): PreparedAlert {
  return {
    index: 0,
    input: {} as PreparedAlert['input'],
    sourceKey: 'product',
    entities: normalizeEntities(entities, 'entities'),
    customDetails,
    startTime: null,
    endTime: T0 + minutes * MIN,
    alertTime: T0 + minutes * MIN,
    raw: null,
  };
}
const grouping = (g: Partial<Grouping>): Grouping => ({ ...DEFAULT_GROUPING, ...g });
const anyAlert = grouping({ mode: 'anyAlert' });

function toPlace(
  minutes: number,
  g: Grouping = anyAlert,
  options: { rule?: string | null; createsIncident?: boolean; entities?: unknown[] } = {},
): AlertToPlace {
  const alert = prepared(minutes, options.entities);
  return {
    alert,
    createsIncident: options.createsIncident ?? true,
    grouping: g,
    key: groupingKey(alert, options.rule === undefined ? 'rule-1' : options.rule, g),
  };
}
function candidate(id: string, key: string, minutes: number, alertCount = 1, closed = false): GroupCandidate {
  return { ref: { existing: id }, groupingKey: key, windowStart: T0 + minutes * MIN, alertCount, closed };
}

const alice = { kind: 'Account', accountName: 'alice', upnSuffix: 'contoso.com' };
const bob = { kind: 'Account', accountName: 'bob', upnSuffix: 'contoso.com' };
const web = { kind: 'Host', hostName: 'web01' };

describe('groupingKey', () => {
  it('is null for mode none', () => {
    expect(groupingKey(prepared(0, [alice]), 'r', grouping({ mode: 'none' }))).toBeNull();
  });

  it('allEntities: equal for the same entity set in any order, different otherwise and per rule', () => {
    const g = grouping({ mode: 'allEntities' });
    const k = groupingKey(prepared(0, [alice, web]), 'r', g);
    expect(groupingKey(prepared(5, [web, { ...alice, accountName: 'ALICE' }]), 'r', g)).toBe(k);
    expect(groupingKey(prepared(0, [alice]), 'r', g)).not.toBe(k);
    expect(groupingKey(prepared(0, [alice, web]), 'other rule', g)).not.toBe(k);
    expect(groupingKey(prepared(0, [alice, web]), null, g)).not.toBe(k);
  });

  it('selected: matches on the selected kinds and custom details only', () => {
    const g = grouping({ mode: 'selected', entityKinds: ['Account'] });
    expect(groupingKey(prepared(0, [alice, web]), 'r', g)).toBe(groupingKey(prepared(0, [alice]), 'r', g));
    expect(groupingKey(prepared(0, [alice]), 'r', g)).not.toBe(groupingKey(prepared(0, [bob]), 'r', g));
    const d = grouping({ mode: 'selected', customDetailKeys: ['Campaign'] });
    const withDetail = (v: string[]) => prepared(0, [], { Campaign: v, Other: [String(Math.random())] });
    expect(groupingKey(withDetail(['Storm-1']), 'r', d)).toBe(groupingKey(withDetail(['storm-1']), 'r', d));
    expect(groupingKey(withDetail(['Storm-1']), 'r', d)).not.toBe(groupingKey(withDetail(['Storm-2']), 'r', d));
  });

  it('anyAlert: one key per rule', () => {
    expect(groupingKey(prepared(0, [alice]), 'r', anyAlert)).toBe(groupingKey(prepared(0, [bob]), 'r', anyAlert));
  });
});

describe('placeAlerts', () => {
  it('groups within one batch and starts a new incident per key', () => {
    const g = grouping({ mode: 'allEntities' });
    const placements = placeAlerts(
      [
        toPlace(0, g, { entities: [alice] }),
        toPlace(1, g, { entities: [bob] }),
        toPlace(2, g, { entities: [alice] }),
        toPlace(3, g, { entities: [bob] }),
      ],
      [],
    );
    expect(placements).toEqual([
      { kind: 'newIncident', created: 0 },
      { kind: 'newIncident', created: 1 },
      { kind: 'created', created: 0 },
      { kind: 'created', created: 1 },
    ]);
  });

  it('mode none, and rules that create no incidents', () => {
    const none = grouping({ mode: 'none' });
    expect(placeAlerts([toPlace(0, none), toPlace(0, none), toPlace(0, anyAlert, { createsIncident: false })], [])).toEqual([
      { kind: 'newIncident', created: 0 },
      { kind: 'newIncident', created: 1 },
      { kind: 'noIncident' },
    ]);
  });

  it('joins an existing incident inside the lookback window, measured from its first alert', () => {
    const key = toPlace(0).key!;
    expect(placeAlerts([toPlace(300)], [candidate('inc-1', key, 0)])).toEqual([
      { kind: 'existing', incidentId: 'inc-1', reopen: false },
    ]);
    expect(placeAlerts([toPlace(301)], [candidate('inc-1', key, 0)])).toEqual([{ kind: 'newIncident', created: 0 }]);
    expect(placeAlerts([toPlace(360)], [candidate('inc-1', key, 0)])).toEqual([{ kind: 'newIncident', created: 0 }]);
    const short = grouping({ mode: 'anyAlert', lookbackMinutes: 30 });
    expect(placeAlerts([toPlace(31, short)], [candidate('inc-1', key, 0)])).toEqual([{ kind: 'newIncident', created: 0 }]);
  });

  it('a new incident in the batch opens its own window', () => {
    const placements = placeAlerts([toPlace(0), toPlace(200), toPlace(400), toPlace(650)], []);
    expect(placements).toEqual([
      { kind: 'newIncident', created: 0 },
      { kind: 'created', created: 0 },
      { kind: 'newIncident', created: 1 },
      { kind: 'created', created: 1 },
    ]);
  });

  it('prefers the most recent matching incident', () => {
    const key = toPlace(0).key!;
    const placements = placeAlerts([toPlace(250)], [candidate('old', key, 0), candidate('recent', key, 200)]);
    expect(placements).toEqual([{ kind: 'existing', incidentId: 'recent', reopen: false }]);
  });

  it('never joins an incident of another key', () => {
    const other = toPlace(0, anyAlert, { rule: 'rule-2' }).key!;
    expect(placeAlerts([toPlace(1)], [candidate('inc-2', other, 0)])).toEqual([{ kind: 'newIncident', created: 0 }]);
  });

  it('caps incidents at 150 alerts: the 151st starts a new one (existing and in-batch)', () => {
    const key = toPlace(0).key!;
    const existing = candidate('inc-1', key, 0, 149);
    const placements = placeAlerts([toPlace(1), toPlace(2), toPlace(3)], [existing]);
    expect(placements).toEqual([
      { kind: 'existing', incidentId: 'inc-1', reopen: false },
      { kind: 'newIncident', created: 0 },
      { kind: 'created', created: 0 },
    ]);
    expect(existing.alertCount).toBe(150);

    const batch = placeAlerts(
      Array.from({ length: 301 }, (_, i) => toPlace(i % 100)),
      [],
    );
    expect(batch.filter((p) => p.kind === 'newIncident')).toEqual([
      { kind: 'newIncident', created: 0 },
      { kind: 'newIncident', created: 1 },
      { kind: 'newIncident', created: 2 },
    ]);
    expect(batch[150]).toEqual({ kind: 'newIncident', created: 1 });
    expect(batch[300]).toEqual({ kind: 'newIncident', created: 2 });
    expect(batch.slice(1, 150).every((p) => p.kind === 'created' && p.created === 0)).toBe(true);
  });

  it('re-opens a closed incident only when the rule says so, once', () => {
    const reopen = grouping({ mode: 'anyAlert', reopenClosed: true });
    const key = toPlace(0, reopen).key!;
    expect(placeAlerts([toPlace(10, reopen), toPlace(11, reopen)], [candidate('closed', key, 0, 1, true)])).toEqual([
      { kind: 'existing', incidentId: 'closed', reopen: true },
      { kind: 'existing', incidentId: 'closed', reopen: false },
    ]);
    const keep = grouping({ mode: 'anyAlert', reopenClosed: false });
    expect(placeAlerts([toPlace(10, keep), toPlace(11, keep)], [candidate('closed', toPlace(0, keep).key!, 0, 1, true)])).toEqual(
      [
        { kind: 'newIncident', created: 0 },
        { kind: 'created', created: 0 },
      ],
    );
  });

  it('picks the most recent match, a closed one included when the rule re-opens', () => {
    const reopen = grouping({ mode: 'anyAlert', reopenClosed: true });
    const key = toPlace(0, reopen).key!;
    const placements = placeAlerts(
      [toPlace(100, reopen)],
      [candidate('open-old', key, 0), candidate('closed-new', key, 50, 1, true)],
    );
    expect(placements).toEqual([{ kind: 'existing', incidentId: 'closed-new', reopen: true }]);
  });
});

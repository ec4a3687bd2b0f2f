import { describe, expect, it } from 'vitest';
import { attemptResult, retryDelay } from './delivery-sender.js';
import { withoutCreationEchoes } from './event-dispatcher.js';
import { eventTypesOf, taskIdOf, type OutboxEvent } from './event-types.js';

describe('event types of activity entries', () => {
  it('raises incident.closed with incident.updated only when the status becomes Closed', () => {
    expect(eventTypesOf('incidentUpdated', [{ field: 'status', from: 'Active', to: 'Closed' }])).toEqual([
      'incident.updated',
      'incident.closed',
    ]);
    expect(eventTypesOf('incidentUpdated', [{ field: 'severity', from: 'Low', to: 'High' }])).toEqual(['incident.updated']);
    expect(eventTypesOf('alertsAdded', [])).toEqual(['incident.updated']);
  });

  it('raises nothing for entries nobody subscribes to', () => {
    for (const action of ['commentEdited', 'commentDeleted', 'taskReopened', 'taskUpdated', 'taskDeleted', 'automationFailed']) {
      expect(eventTypesOf(action, []), action).toEqual([]);
    }
  });

  it('finds the task a task entry is about', () => {
    expect(taskIdOf([{ field: 'task', from: null, to: { id: 't1', title: 'x', status: 'New' } }])).toBe('t1');
    expect(taskIdOf([{ field: 'task', from: { id: 't2' }, to: null }])).toBe('t2');
    expect(taskIdOf([{ field: 'status', from: 'New', to: 'Active' }])).toBeNull();
  });
});

describe('creation echoes', () => {
  const event = (action: string, incidentId: string, at: number): OutboxEvent => ({
    workspaceId: 'w',
    id: `${action}-${incidentId}-${at}`,
    action,
    types: eventTypesOf(action, []),
    incidentId,
    actor: { type: 'system', id: 's', name: 'S' },
    changes: [],
    subjectId: null,
    at,
  });

  it('drops updates written with the creation, and keeps later ones and other incidents’', () => {
    const kept = withoutCreationEchoes([
      event('incidentCreated', 'a', 100),
      event('incidentUpdated', 'a', 100),
      event('incidentUpdated', 'a', 101),
      event('incidentUpdated', 'b', 100),
      event('taskAdded', 'a', 100),
    ]);
    expect(kept.map((e) => e.id)).toEqual([
      'incidentCreated-a-100',
      'incidentUpdated-a-101',
      'incidentUpdated-b-100',
      'taskAdded-a-100',
    ]);
  });
});

describe('retries', () => {
  it('doubles the delay from the base, within ±20%, and caps it at an hour', () => {
    expect(retryDelay(1, 1000, () => 0.5)).toBe(1000);
    expect(retryDelay(3, 1000, () => 0.5)).toBe(4000);
    expect(retryDelay(3, 1000, () => 0)).toBe(3200);
    expect(retryDelay(3, 1000, () => 1)).toBe(4800);
    expect(retryDelay(30, 1000, () => 0.5)).toBe(3_600_000);
  });

  it('gives up as failed when the attempts run out, saying how many were made', () => {
    const retry = { status: 'retry' as const, error: 'HTTP 503', responseCode: 503 };
    expect(attemptResult(retry, 2, 3, 0, 100)).toMatchObject({ status: 'retry', error: 'HTTP 503' });
    expect(attemptResult(retry, 3, 3, 0, 100)).toEqual({
      status: 'failed',
      error: 'HTTP 503 (gave up after 3 attempts)',
      responseCode: 503,
    });
    expect(attemptResult({ status: 'sent', responseCode: 200 }, 9, 3, 0, 100)).toEqual({ status: 'sent', responseCode: 200 });
  });
});

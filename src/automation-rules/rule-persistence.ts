import { insertActivity, type NewActivity } from '../activity/index.js';
import type { AlertCascade } from '../incidents/incident-changes.js';
import { cascadeToAlerts } from '../incidents/incident-repository.js';
import { updateIncidentRow, updateIncidentTags, type IncidentRecord } from '../incidents/index.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import type { AutomationRuleRunGroupsTable } from '../storage/schema.js';
import { addTasks, buildTasks, insertTasks, type TaskRecord } from '../tasks/index.js';
import type { RuleOutcome } from './rule-engine.js';
import { insertRuns, runLogRows, type RunTarget } from './rule-run-log.js';
import { outcomeActivity, type RuleItemResult } from './rule-runner.js';

/** What to write after new incidents are inserted, for the rules that ran when they were created. */
export interface NewIncidentWrites {
  tasks: TaskRecord[];
  activity: NewActivity[];
  runs: AutomationRuleRunGroupsTable[];
}

/**
 * Prepares the writes for incidents the rules ran on before they were inserted (the created
 * trigger): numbers the rules' tasks from 1 (rule by rule, action by action; the records already
 * count them), and lays out each rule's activity entry (its changes and tasks) and its failures.
 */
export function planNewIncidentWrites(workspaceId: string, results: RuleItemResult[], at: number): NewIncidentWrites {
  const writes: NewIncidentWrites = { tasks: [], activity: [], runs: [] };
  const runs: { target: RunTarget; outcomes: RuleOutcome[] }[] = [];
  for (const { record, outcomes } of results) {
    let position = 1;
    for (const outcome of outcomes) {
      const tasks = buildTasks(record, outcome.tasks, outcome.actor, at, position);
      position += tasks.length;
      writes.tasks.push(...tasks);
      writes.activity.push(...outcomeActivity(workspaceId, record.id, outcome, at, tasks));
    }
    if (outcomes.length > 0) runs.push({ target: { incidentId: record.id }, outcomes });
  }
  writes.runs = runLogRows(workspaceId, 'incidentCreated', runs, at);
  return writes;
}

/** Writes the planned tasks, activity and run log (after the incidents themselves). */
export async function writeNewIncidentWrites(trx: Executor, dialect: Dialect, writes: NewIncidentWrites): Promise<void> {
  await insertTasks(trx, dialect, writes.tasks);
  await insertActivity(trx, dialect, writes.activity);
  await insertRuns(trx, dialect, writes.runs);
}

/**
 * Persists what incident-updated rules did to an existing incident: one write of the incident
 * (version + 1 over `written`, the state the triggering change left), its tags and cascades, then
 * per rule its activity entry, tasks and failures. The caller writes the run log (`runLogRows`),
 * once for all the incidents of its write.
 */
export async function saveUpdatedIncident(
  trx: Executor,
  dialect: Dialect,
  written: IncidentRecord,
  result: RuleItemResult,
  at: number,
): Promise<IncidentRecord> {
  if (result.outcomes.length === 0) return written;
  // The engine counted the tasks it plans into the record; addTasks counts them as it writes them.
  const planned = result.outcomes.reduce((n, o) => n + o.tasks.length, 0);
  let record = { ...result.record, taskCount: result.record.taskCount - planned };
  const changed =
    result.outcomes.some((o) => o.changes.length > 0) ||
    record.titleSource !== written.titleSource ||
    record.severitySource !== written.severitySource;
  if (changed) {
    record = { ...record, version: written.version + 1, updatedAt: at };
    await updateIncidentRow(trx, dialect, record, written);
    if (record.tags.join('\u0000') !== written.tags.join('\u0000'))
      await updateIncidentTags(trx, dialect, written, record, 'custom');
    const cascade: AlertCascade = {};
    for (const outcome of result.outcomes) Object.assign(cascade, outcome.cascade);
    await cascadeToAlerts(trx, record.workspaceId, record.id, cascade, at);
  }
  const incident = { ...record };
  const activity: NewActivity[] = [];
  for (const outcome of result.outcomes) {
    // The engine already checked the 40-task limit against the pending tasks.
    const tasks = await addTasks(trx, dialect, incident, outcome.tasks, outcome.actor, at, { recordActivity: false });
    activity.push(...outcomeActivity(record.workspaceId, record.id, outcome, at, tasks));
  }
  await insertActivity(trx, dialect, activity);
  return { ...record, taskCount: incident.taskCount };
}

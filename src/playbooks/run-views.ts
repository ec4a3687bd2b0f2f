import { z } from 'zod';
import { actorSchema, type Actor } from '../common/actor.js';
import { isoTime } from '../http/cursor.js';
import { fromJson } from '../storage/json.js';
import type { PlaybookRunsTable } from '../storage/schema-playbooks.js';
import type { RunTrigger } from './engine/run-context.js';
import type { StepRecord } from './engine/run-journal.js';

const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const;
/** A run's status. */
export type RunStatus = (typeof RUN_STATUSES)[number];
export const runStatusSchema = z.enum(RUN_STATUSES);

export const runSchema = z
  .object({
    id: z.string(),
    playbook: z.object({ id: z.string(), name: z.string(), version: z.number().int() }),
    status: runStatusSchema,
    trigger: z.object({
      kind: z.string(),
      incidentId: z.string().nullable(),
      alertId: z.string().nullable(),
      entityId: z.string().nullable(),
      source: z.object({ type: z.string(), id: z.string(), name: z.string() }).nullable(),
    }),
    startedBy: actorSchema,
    message: z.string().nullable().describe('Why it failed, or what its stop step said'),
    queuedAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    stepsExecuted: z.number().int(),
    attempts: z.number().int().describe('How many times a worker picked it up (more than 1 after waits or a worker crash)'),
    cancelRequested: z.boolean(),
    rerunOf: z.string().nullable(),
  })
  .meta({ id: 'PlaybookRun' });
export type Run = z.infer<typeof runSchema>;

export type StepView = {
  key: string;
  id: string;
  kind: string;
  status: string;
  iteration: number | null;
  attempts: number;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  children: StepView[];
};

export const stepSchema: z.ZodType<StepView> = z
  .lazy(() =>
    z.object({
      key: z.string().describe('The step instance: its id, under its loop iteration (`each[2].lookup`)'),
      id: z.string(),
      kind: z.string(),
      status: z.string(),
      iteration: z.number().int().nullable().describe('For a step inside a forEach: which item'),
      attempts: z.number().int(),
      input: z.unknown().describe('The rendered input (secrets redacted)'),
      output: z.unknown(),
      error: z.string().nullable(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      durationMs: z.number().nullable(),
      children: z.array(stepSchema),
    }),
  )
  .meta({ id: 'PlaybookRunStep' });

export const runDetailSchema = runSchema
  .extend({
    inputs: z.record(z.string(), z.unknown()),
    steps: z.array(stepSchema).describe('The step tree, in the order steps started'),
  })
  .meta({ id: 'PlaybookRunDetail' });
export type RunDetail = z.infer<typeof runDetailSchema>;

/** A run row as the API shows it. */
export function toRun(row: PlaybookRunsTable): Run {
  const trigger = fromJson<RunTrigger>(row.trigger, { kind: 'manual' });
  return {
    id: row.id,
    playbook: { id: row.playbook_id, name: row.playbook_name, version: row.playbook_version },
    status: row.status as RunStatus,
    trigger: {
      kind: trigger.kind,
      incidentId: trigger.incidentId ?? null,
      alertId: trigger.alertId ?? null,
      entityId: trigger.entityId ?? null,
      source: trigger.source ?? null,
    },
    startedBy: fromJson<Actor>(row.started_by, { type: 'system', id: 'system', name: 'Vigil' }),
    message: row.message,
    queuedAt: isoTime(row.queued_at),
    startedAt: row.started_at === null ? null : isoTime(row.started_at),
    finishedAt: row.finished_at === null ? null : isoTime(row.finished_at),
    durationMs: row.started_at !== null && row.finished_at !== null ? row.finished_at - row.started_at : null,
    stepsExecuted: row.steps_executed,
    attempts: row.attempts,
    cancelRequested: row.cancel_requested === 1,
    rerunOf: row.rerun_of,
  };
}

/** Step records as a tree (children under their control step), each level in start order. */
export function stepTree(records: StepRecord[]): StepView[] {
  const views = new Map<string, StepView>();
  const roots: StepView[] = [];
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    const iteration = /\[(\d+)\]\.[^[\]]*$/.exec(r.key);
    views.set(r.key, {
      key: r.key,
      id: r.id,
      kind: r.kind,
      status: r.status,
      iteration: iteration ? Number(iteration[1]) : null,
      attempts: r.attempts,
      input: r.input ?? null,
      output: r.output ?? null,
      error: r.error,
      startedAt: isoTime(r.startedAt),
      finishedAt: r.finishedAt === null ? null : isoTime(r.finishedAt),
      durationMs: r.finishedAt === null ? null : r.finishedAt - r.startedAt,
      children: [],
    });
  }
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    const view = views.get(r.key)!;
    const parent = r.parentKey ? views.get(r.parentKey) : undefined;
    (parent ? parent.children : roots).push(view);
  }
  return roots;
}

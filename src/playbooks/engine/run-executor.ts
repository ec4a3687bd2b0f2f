import { permissionsOf, type Access } from '../../auth/permissions.js';
import type { Actor } from '../../common/actor.js';
import type { ResolvedConnection } from '../../connectors/action.js';
import type { Logger } from '../../logging/logger.js';
import type { Storage } from '../../storage/database.js';
import type { Executor } from '../../storage/dialect.js';
import { fromJson, toJson } from '../../storage/json.js';
import type { PlaybookRunsTable } from '../../storage/schema-playbooks.js';
import type { PlaybookDefinition } from '../definition/definition-types.js';
import { formatDuration } from '../definition/durations.js';
import {
  DEFAULT_ENGINE_LIMITS,
  type ActionCatalog,
  type ApprovalPort,
  type EngineLimits,
  type Execution,
  type Scope,
} from './execution.js';
import { loadRunContext, type ContextServices, type RunTrigger } from './run-context.js';
import { createRunJournal, type StepRecord } from './run-journal.js';
import { finishRun, suspendRun, type RunEnd } from './run-finish.js';
import { LeaseLost, RunCancelled, RunStop, RunSuspend, StepFailure } from './run-signals.js';
import { loadStepRecords } from './step-records.js';
import { runSequence } from './step-runner.js';

/** Schedules runs to execute (the embedded poller or the PostgreSQL job queue). */
export interface RunQueue {
  /** Inside the transaction that makes runs due: they execute after it commits (at `runAt` or now). */
  enqueue(trx: Executor, runs: { workspaceId: string; runId: string; runAt?: number }[]): Promise<void>;
}

/** Everything the engine uses, handed in by the composition root. */
export interface EngineDeps {
  storage: Storage;
  now: () => number;
  publicUrl: string;
  catalog: ActionCatalog;
  services: ContextServices;
  connections: { resolve(workspaceId: string, names: string[]): Promise<Map<string, ResolvedConnection>> };
  approvals: ApprovalPort;
  definitions: { get(workspaceId: string, playbookId: string, version: number): Promise<PlaybookDefinition> };
  queue: RunQueue;
  redact: (value: unknown, secrets: string[]) => unknown;
  limits?: Partial<EngineLimits>;
  leaseMs: number;
  logger: Logger;
}

/** How an attempt at a run ended. */
export type AttemptOutcome = 'succeeded' | 'failed' | 'cancelled' | 'waiting' | 'lost';

/** The playbook's rights in its workspace: a Responder's (read and change incidents). */
function playbookAccess(workspaceId: string, actor: Actor): Access {
  return { via: 'local', actor, workspaceId, roles: ['Responder'], permissions: RESPONDER_PERMISSIONS };
}

const RESPONDER_PERMISSIONS = permissionsOf(['Responder']);

/** Declared inputs' defaults (runs started by rules pass no inputs). */
function defaultInputs(definition: PlaybookDefinition): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(definition.inputs).flatMap(([name, d]) => (d.default === undefined ? [] : [[name, d.default]])),
  );
}

/** Variables as the recorded `set` steps left them, in the order they ran. */
function replayVars(records: StepRecord[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    if (r.kind === 'set' && r.status === 'succeeded' && r.output && typeof r.output === 'object') Object.assign(vars, r.output);
  }
  return vars;
}

/** Why a run ended, from what interrupted its steps (or undefined: it ran to the end). */
function endOf(error: unknown): RunEnd | 'lost' | RunSuspend {
  if (error === undefined) return { status: 'succeeded', message: null };
  if (error instanceof LeaseLost) return 'lost';
  if (error instanceof RunSuspend) return error;
  if (error instanceof RunCancelled) return { status: 'cancelled', message: error.by ? `cancelled by ${error.by}` : 'cancelled' };
  if (error instanceof RunStop) return { status: error.status, message: error.message };
  if (error instanceof StepFailure) return { status: 'failed', message: error.message };
  return { status: 'failed', message: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * Executes a run this worker has claimed (holds the lease of) until it ends or must wait:
 * replays what earlier attempts recorded, runs the rest, and writes the outcome. Cancels, the
 * run's time limit and a lost lease interrupt it between steps and abort actions in flight.
 */
export async function executeRun(
  deps: EngineDeps,
  run: PlaybookRunsTable,
  leaseOwner: string,
  /** Aborted with a RunCancelled or LeaseLost reason by the worker's heartbeat or a local cancel. */
  interrupts: AbortSignal,
): Promise<AttemptOutcome> {
  const limits = { ...DEFAULT_ENGINE_LIMITS, ...deps.limits };
  const definition = await deps.definitions.get(run.workspace_id, run.playbook_id, run.playbook_version);
  // A definition's limits may lower the server's, never raise them.
  const runLimits: EngineLimits = {
    ...limits,
    maxSteps: Math.min(limits.maxSteps, definition.limits?.maxSteps ?? Infinity),
    timeoutMs: Math.min(limits.timeoutMs, definition.limits?.timeout ?? Infinity),
  };
  const actor: Actor = { type: 'playbook', id: run.playbook_id, name: run.playbook_name };
  const access = playbookAccess(run.workspace_id, actor);
  const started = deps.now();
  const controller = new AbortController();
  let interruption: Error | undefined;
  const interrupt = (error: Error) => {
    interruption ??= error;
    controller.abort(error);
  };
  const onInterrupt = () => interrupt(interrupts.reason instanceof Error ? interrupts.reason : new RunCancelled(null));
  if (interrupts.aborted) onInterrupt();
  else interrupts.addEventListener('abort', onInterrupt, { once: true });

  const names = [...new Set(Object.values(definition.connections))];
  const byName = names.length > 0 ? await deps.connections.resolve(run.workspace_id, names) : new Map();
  const connections = new Map<string, ResolvedConnection>();
  for (const [alias, name] of Object.entries(definition.connections))
    if (byName.has(name)) connections.set(alias, byName.get(name)!);
  const secrets = [...connections.values()].flatMap((c) => Object.values(c.secrets)).filter((s) => s.length >= 4);
  const redact = (value: unknown) => (secrets.length > 0 ? deps.redact(value, secrets) : value);

  let contextText = run.context;
  let contextDirty = false;
  if (contextText === null) {
    contextText = toJson(await loadRunContext(deps.services, access, fromJson<RunTrigger>(run.trigger, { kind: 'manual' })));
    contextDirty = true;
  }
  let stepsExecuted = run.steps_executed;
  // Records are written only by attempts holding the lease: a first attempt has none to replay.
  const records = run.attempts > 1 ? await loadStepRecords(deps.storage.db, run.workspace_id, run.id) : [];
  const journal = createRunJournal(
    {
      // A run's own transactions need not wait for the disk: see storage/durability.ts.
      db: deps.storage.deferredDb,
      dialect: deps.storage.dialect,
      now: deps.now,
      workspaceId: run.workspace_id,
      runId: run.id,
      leaseOwner,
      leaseMs: deps.leaseMs,
      redact,
      progress: () => {
        const progress = {
          stepsExecuted,
          activeMs: run.active_ms + (deps.now() - started),
          context: contextDirty ? contextText! : undefined,
        };
        contextDirty = false;
        return progress;
      },
    },
    records,
  );

  const context = JSON.parse(contextText!) as Record<string, unknown>;
  const scope: Scope = {
    ...context,
    inputs: { ...defaultInputs(definition), ...fromJson<Record<string, unknown>>(run.inputs, {}) },
    steps: {},
    vars: replayVars(records),
    connections: Object.fromEntries(
      [...connections].map(([alias, c]) => [alias, { name: c.name, connector: c.connector, settings: c.settings }]),
    ),
    run: {
      id: run.id,
      playbook: { id: run.playbook_id, name: run.playbook_name, version: run.playbook_version },
      url: `${deps.publicUrl}/w/${encodeURIComponent(run.workspace_id)}/runs/${run.id}`,
    },
  };
  const remaining = runLimits.timeoutMs - run.active_ms;
  const timer = setTimeout(
    () => interrupt(new RunStop('failed', `the run took longer than its time limit of ${formatDuration(runLimits.timeoutMs)}`)),
    Math.max(0, remaining),
  );
  const x: Execution = {
    run: {
      workspaceId: run.workspace_id,
      id: run.id,
      playbookId: run.playbook_id,
      playbookName: run.playbook_name,
      version: run.playbook_version,
      triggerKind: run.trigger_kind,
      incidentId: run.incident_id,
      alertId: run.alert_id,
    },
    definition,
    journal,
    catalog: deps.catalog,
    limits: runLimits,
    now: deps.now,
    publicUrl: deps.publicUrl,
    actor,
    access,
    connections,
    signal: controller.signal,
    checkInterrupt: () => {
      if (interruption) throw interruption;
    },
    countStep: () => {
      stepsExecuted += 1;
      if (stepsExecuted > runLimits.maxSteps)
        throw new RunStop('failed', `the run executed more than ${runLimits.maxSteps} steps, its limit`);
    },
    approvals: deps.approvals,
    newApprovals: [],
    addSecrets: (values) => secrets.push(...values.filter((v) => v.length >= 4)),
  };

  let failure: unknown;
  try {
    await runSequence(x, definition.steps, { scope, prefix: '', parentKey: null, signal: controller.signal });
    if (interruption) failure = interruption;
  } catch (error) {
    failure = interruption instanceof LeaseLost || interruption instanceof RunCancelled ? interruption : error;
  } finally {
    clearTimeout(timer);
    interrupts.removeEventListener('abort', onInterrupt);
  }
  const end = endOf(failure);
  if (end === 'lost') return 'lost';
  if (
    !(end instanceof RunSuspend) &&
    end.status === 'failed' &&
    failure !== undefined &&
    !(failure instanceof StepFailure) &&
    !(failure instanceof RunStop)
  ) {
    deps.logger.error({ err: failure, runId: run.id }, 'playbook run failed on an internal error');
  }
  try {
    if (end instanceof RunSuspend) {
      await suspendRun(deps, x, end.wakeAt);
      for (const approvalId of x.newApprovals)
        await deps.approvals.deliver(x, approvalId).catch((error) => {
          deps.logger.warn({ err: error, approvalId }, 'approval notification failed');
        });
      return 'waiting';
    }
    await finishRun(deps, x, end, run.started_at ?? started);
    return end.status;
  } catch (error) {
    if (error instanceof LeaseLost) return 'lost';
    throw error;
  }
}

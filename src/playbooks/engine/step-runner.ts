import type { Step } from '../definition/definition-types.js';
import { runActionStep } from './action-step.js';
import { childLists, runForEach, runIf, runParallel, runScope, runSwitch } from './control-steps.js';
import type { Execution, Frame } from './execution.js';
import { isFinished, type StepRecord } from './run-journal.js';
import { LeaseLost, RunCancelled, RunStop, RunSuspend, StepFailure } from './run-signals.js';
import { runSet, runStop } from './value-steps.js';
import { runApproval, runWait } from './wait-steps.js';

/** What a step runner returns: the step's output, and its rendered input to show in the run. */
export interface StepResult {
  output: unknown;
  input?: unknown;
  attempts?: number;
  /** The runner already wrote the final record (built-in actions commit it with their change). */
  recorded?: boolean;
  /** The runner must flush right after (its effect happened outside the database). */
  flush?: boolean;
}

/** A step runner: executes one step instance; `previous` is its unfinished record from an earlier attempt. */
export type KindRunner = (x: Execution, step: any, frame: Frame, base: StepRecord, previous?: StepRecord) => Promise<StepResult>;

const RUNNERS: Record<Step['kind'], KindRunner> = {
  action: runActionStep,
  if: runIf,
  switch: runSwitch,
  forEach: runForEach,
  parallel: runParallel,
  scope: runScope,
  wait: runWait,
  approval: runApproval,
  set: runSet,
  stop: runStop,
};

/** Whether an error ends the steps without being a failure of the step (waits, stops, cancels). */
export const isInterruption = (e: unknown): boolean =>
  e instanceof RunSuspend || e instanceof RunStop || e instanceof RunCancelled || e instanceof LeaseLost;

/** The message a failure shows in the run. */
export function failureMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Runs steps one after another in the frame. */
export async function runSequence(x: Execution, steps: Step[], frame: Frame): Promise<void> {
  for (const step of steps) await runStep(x, step, frame);
}

/** Makes recorded results of a finished control step's children visible again (they are visible after it). */
function restoreChildren(x: Execution, step: Step, frame: Frame): void {
  if (step.kind === 'forEach') return;
  for (const children of childLists(step)) {
    for (const child of children) {
      const record = x.journal.memo.get(frame.prefix + child.id);
      if (!record) continue;
      frame.scope.steps[child.id] = { output: record.output ?? null, status: record.status, error: record.error };
      restoreChildren(x, child, frame);
    }
  }
}

/** Makes a finished record's result visible to later expressions; rethrows its failure unless continueOnError. */
function settle(x: Execution, step: Step, frame: Frame, record: StepRecord): void {
  frame.scope.steps[step.id] = { output: record.output ?? null, status: record.status, error: record.error };
  restoreChildren(x, step, frame);
  if (record.status === 'failed' && !step.continueOnError)
    throw new StepFailure(step.id, `${step.id}: ${record.error ?? 'failed'}`);
}

/** Runs one step: replays its recorded result if an earlier attempt finished it, else executes it. */
export async function runStep(x: Execution, step: Step, frame: Frame): Promise<void> {
  x.checkInterrupt();
  const key = frame.prefix + step.id;
  const previous = x.journal.memo.get(key);
  if (previous && isFinished(previous)) return settle(x, step, frame, previous);
  if (frame.signal.aborted) throw new StepFailure(step.id, `step ${step.id} did not start: ${String(frame.signal.reason)}`);
  x.countStep(step.kind);
  const base: StepRecord = {
    key,
    id: step.id,
    parentKey: frame.parentKey,
    kind: step.kind,
    seq: previous?.seq ?? x.journal.nextSeq(),
    status: 'running',
    attempts: previous?.attempts ?? 0,
    input: previous?.input,
    output: previous?.output,
    error: null,
    startedAt: previous?.startedAt ?? x.now(),
    finishedAt: null,
  };
  let result: StepResult;
  try {
    result = await withTimeout(step, frame, (inner) => RUNNERS[step.kind](x, step, inner, base, previous));
  } catch (error) {
    if (isInterruption(error)) throw error;
    const message = failureMessage(error);
    // A control step recorded its decision (items, branch) before its children ran: keep it.
    const decided = x.journal.memo.get(key);
    const failed: StepRecord = {
      ...base,
      input: decided?.input ?? base.input,
      output: decided?.output ?? base.output,
      status: 'failed',
      error: message,
      finishedAt: x.now(),
      attempts: Math.max(1, base.attempts),
    };
    x.journal.record(failed);
    frame.scope.steps[step.id] = { output: null, status: 'failed', error: message };
    if (step.kind === 'action') await x.journal.flush();
    if (step.continueOnError) return;
    // A child's failure passes up as it is ("vt: …"); a step's own failure is prefixed with its id.
    throw error instanceof StepFailure ? error : new StepFailure(step.id, `${step.id}: ${message}`);
  }
  const done: StepRecord = {
    ...base,
    status: 'succeeded',
    input: result.input ?? base.input,
    output: result.output,
    attempts: result.attempts ?? Math.max(1, base.attempts),
    finishedAt: x.now(),
  };
  if (!result.recorded) x.journal.record(done);
  frame.scope.steps[step.id] = { output: result.output ?? null, status: 'succeeded', error: null };
  if (result.flush) await x.journal.flush();
}

/** Runs a step under its timeout: its frame's signal aborts, and it fails, when the time is up. */
async function withTimeout<T>(step: Step, frame: Frame, work: (frame: Frame) => Promise<T>): Promise<T> {
  if (step.timeout === undefined || step.kind === 'action') return work(frame);
  const controller = new AbortController();
  const onAbort = () => controller.abort(frame.signal.reason);
  frame.signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = `step ${step.id} timed out after ${step.timeout} ms`;
      controller.abort(reason);
      reject(new Error(reason));
    }, step.timeout);
  });
  try {
    return await Promise.race([work({ ...frame, signal: controller.signal }), timeout]);
  } finally {
    clearTimeout(timer);
    frame.signal.removeEventListener('abort', onAbort);
  }
}

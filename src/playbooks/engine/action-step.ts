import type { ResolvedConnection } from '../../connectors/action.js';
import { ActionError } from '../../connectors/action.js';
import { AppError } from '../../errors/errors.js';
import type { BuiltinActionDefinition, BuiltinContext } from '../builtin/builtin-action.js';
import type { ActionStep } from '../definition/definition-types.js';
import { renderTemplate } from './compiled-parts.js';
import type { Execution, Frame } from './execution.js';
import type { StepRecord } from './run-journal.js';
import type { StepResult } from './step-runner.js';

/** Fails when a value is bigger than a step may carry (not retryable: the same call gives the same size). */
export function checkSize(x: Execution, what: string, value: unknown): void {
  const size = value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value) ?? '');
  if (size > x.limits.maxStepBytes)
    throw new ActionError(`${what} is ${size} bytes; the limit is ${x.limits.maxStepBytes} bytes`, false);
}

function inputProblems(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `with.${issue.path.map(String).join('.')}: ${issue.message}`.replace(/\.:/, ':'))
    .join('; ');
}

/** Whether another attempt may help: service hiccups and timeouts yes, refusals and bad input no. */
function retryable(error: unknown): boolean {
  if (error instanceof ActionError) return error.retryable;
  if (error instanceof AppError) return false;
  return true;
}

/** Waits before a retry; a cancel or timeout of the enclosing step ends the wait. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** An AbortSignal that fires on the run's cancel, the frame's timeout, or this attempt's timeout. */
function attemptSignal(x: Execution, frame: Frame, timeoutMs: number, stepId: string) {
  const controller = new AbortController();
  const abort = (reason: unknown) => controller.abort(reason);
  const onRun = () => abort(x.signal.reason);
  const onFrame = () => abort(frame.signal.reason);
  x.signal.addEventListener('abort', onRun, { once: true });
  frame.signal.addEventListener('abort', onFrame, { once: true });
  const timer = setTimeout(() => abort(new Error(`step ${stepId} timed out after ${timeoutMs} ms`)), timeoutMs);
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      x.signal.removeEventListener('abort', onRun);
      frame.signal.removeEventListener('abort', onFrame);
    },
  };
}

/** Rejects when the signal aborts, so an action that ignores its signal still ends the step on time. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * An action step: renders `with`, validates it with the action's input schema, and runs the
 * action with its timeout and retries. Actions with effects outside Vigil are preceded by a flush
 * (so the run's state before them is durable) and followed by one (so their result is); built-in
 * changes commit with their own record.
 */
export async function runActionStep(x: Execution, step: ActionStep, frame: Frame, base: StepRecord): Promise<StepResult> {
  const action = x.catalog.action(step.uses) as BuiltinActionDefinition | undefined;
  if (!action) throw new Error(`unknown action ${step.uses}`);
  const rendered = await renderTemplate(step, 'with', step.with, frame.scope);
  checkSize(x, `the input of step ${step.id}`, rendered);
  // Kept on the step's record even when it fails (the run shows what the step was given).
  base.input = rendered;
  const parsed = action.input.safeParse(rendered ?? {});
  if (!parsed.success) throw new Error(`invalid input for ${step.uses}: ${inputProblems(parsed.error.issues)}`);
  let connection: ResolvedConnection | undefined;
  if (step.connection !== undefined) {
    connection = x.connections.get(step.connection);
    if (!connection) throw new Error(`connection "${step.connection}" is not available to this run`);
  }
  const external = action.effect !== 'none' && !action.runWithin;
  if (external) {
    // Counts the attempt about to start: a run resumed after a crash shows that the call may have gone out.
    x.journal.record({ ...base, status: 'running', input: rendered, attempts: base.attempts + 1 });
    await x.journal.flush();
  }
  const retry = step.retry ?? { count: 0, initialDelay: 0, factor: 1, maxDelay: 0 };
  for (let attempt = base.attempts + 1; ; attempt += 1) {
    const { signal, dispose } = attemptSignal(x, frame, step.timeout ?? x.limits.actionTimeoutMs, step.id);
    const context: BuiltinContext = {
      workspaceId: x.run.workspaceId,
      runId: x.run.id,
      stepKey: base.key,
      idempotencyKey: `${x.run.id}:${base.key}`,
      attempt,
      signal,
      connection,
      actor: x.actor,
      publicUrl: x.publicUrl,
      access: x.access,
      trigger: { incidentId: x.run.incidentId, alertId: x.run.alertId },
    };
    try {
      let output: unknown;
      if (action.runWithin) {
        const runWithin = action.runWithin.bind(action);
        output = await x.journal.within(
          (trx) => runWithin(trx, context, parsed.data),
          (result) => {
            checkSize(x, `the output of step ${step.id}`, result);
            return { ...base, status: 'succeeded', input: rendered, output: result, attempts: attempt, finishedAt: x.now() };
          },
        );
      } else {
        output = await raceAbort(action.run(context, parsed.data), signal);
        checkSize(x, `the output of step ${step.id}`, output);
      }
      const secretFields = (action as { secretOutputs?: string[] }).secretOutputs ?? [];
      if (secretFields.length > 0 && output && typeof output === 'object') {
        x.addSecrets(
          secretFields.map((f) => (output as Record<string, unknown>)[f]).filter((v): v is string => typeof v === 'string'),
        );
      }
      return { output, input: rendered, attempts: attempt, recorded: Boolean(action.runWithin), flush: external };
    } catch (error) {
      x.checkInterrupt();
      const attemptsLeft = attempt - base.attempts <= retry.count;
      if (!attemptsLeft || !retryable(error) || frame.signal.aborted) {
        base.attempts = attempt;
        throw error;
      }
      const n = attempt - base.attempts;
      await pause(Math.min(retry.initialDelay * retry.factor ** (n - 1), retry.maxDelay), x.signal);
    } finally {
      dispose();
    }
  }
}

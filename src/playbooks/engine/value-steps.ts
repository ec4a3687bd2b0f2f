import type { SetStep, StopStep } from '../definition/definition-types.js';
import { renderTemplate } from './compiled-parts.js';
import type { Execution, Frame } from './execution.js';
import type { StepRecord } from './run-journal.js';
import { RunStop } from './run-signals.js';
import type { StepResult } from './step-runner.js';

/** `set`: renders the values and stores them as variables (`vars.<name>`), run-wide. */
export async function runSet(_x: Execution, step: SetStep, frame: Frame): Promise<StepResult> {
  const values = (await renderTemplate(step, 'set', step.values, frame.scope)) as Record<string, unknown>;
  Object.assign(frame.scope.vars, values);
  return { output: values };
}

/** `stop`: ends the run with the status and message (the step itself is recorded as done). */
export async function runStop(x: Execution, step: StopStep, frame: Frame, base: StepRecord): Promise<StepResult> {
  const message =
    step.message === undefined ? undefined : String(await renderTemplate(step, 'message', step.message, frame.scope));
  const output = { status: step.status, message: message ?? null };
  x.journal.record({ ...base, status: 'succeeded', output, attempts: 1, finishedAt: x.now() });
  throw new RunStop(step.status, message ?? (step.status === 'failed' ? `stopped by step ${step.id}` : 'stopped'));
}

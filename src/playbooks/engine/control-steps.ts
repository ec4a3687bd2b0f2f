import type { ForEachStep, IfStep, ParallelStep, ScopeStep, Step, SwitchStep } from '../definition/definition-types.js';
import { evaluateExpression, isTruthy } from './compiled-parts.js';
import type { Execution, Frame, Scope } from './execution.js';
import type { StepRecord } from './run-journal.js';
import { StepFailure, strongestInterruption } from './run-signals.js';
import { runSequence, type StepResult } from './step-runner.js';

/** The frame for a step's children: same scope, keys under the same prefix, the step as parent. */
const childFrame = (frame: Frame, base: StepRecord): Frame => ({ ...frame, parentKey: base.key });

/** Records the decision a control step made before its children run, so a resumed run takes the same path. */
function decide(x: Execution, base: StepRecord, input: unknown, output: unknown): void {
  x.journal.record({ ...base, status: 'running', input, output });
}

/** `if`: runs `then` or `else`; the branch taken is recorded. */
export async function runIf(
  x: Execution,
  step: IfStep,
  frame: Frame,
  base: StepRecord,
  previous?: StepRecord,
): Promise<StepResult> {
  let branch = (previous?.output as { branch?: 'then' | 'else' } | undefined)?.branch;
  if (!branch) {
    branch = isTruthy(await evaluateExpression(step, 'if', step.condition, frame.scope)) ? 'then' : 'else';
    decide(x, base, undefined, { branch });
  }
  await runSequence(x, branch === 'then' ? step.then : step.else, childFrame(frame, base));
  return { output: { branch } };
}

/** `switch`: runs the first case whose key equals the value (as text), else `default`. */
export async function runSwitch(
  x: Execution,
  step: SwitchStep,
  frame: Frame,
  base: StepRecord,
  previous?: StepRecord,
): Promise<StepResult> {
  let decided = previous?.output as { value: string; case: string | null } | undefined;
  if (!decided) {
    const raw = await evaluateExpression(step, 'switch', step.value, frame.scope);
    const value = raw === null || raw === undefined ? '' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    decided = { value, case: step.cases.find((c) => c.value === value)?.value ?? null };
    decide(x, base, { value }, decided);
  }
  const chosen = decided.case === null ? step.default : (step.cases.find((c) => c.value === decided.case)?.steps ?? []);
  await runSequence(x, chosen, childFrame(frame, base));
  return { output: decided, input: { value: decided.value } };
}

/** The outputs of the steps a list of steps defined (and nested ones), by id. */
function outputsOf(steps: Step[], scope: Scope, into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const step of steps) {
    if (step.id in scope.steps) into[step.id] = scope.steps[step.id]!.output;
    for (const children of childLists(step)) outputsOf(children, scope, into);
  }
  return into;
}

/** The nested step lists of a control step. */
export function childLists(step: Step): Step[][] {
  switch (step.kind) {
    case 'if':
      return [step.then, step.else];
    case 'switch':
      return [...step.cases.map((c) => c.steps), step.default];
    case 'forEach':
      return [step.steps];
    case 'parallel':
      return step.branches.map((b) => b.steps);
    case 'scope':
      return [step.steps, step.onFailure, step.always];
    default:
      return [];
  }
}

/**
 * Runs `count` tasks, at most `concurrency` at a time. A failure stops new tasks from starting;
 * once all started ones end, the strongest interruption (cancel, stop, failure, then wait) is rethrown.
 */
async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count && !errors.some((e) => !(e instanceof Error && e.name === 'RunSuspend'))) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (errors.length > 0) throw strongestInterruption(errors);
}

/** `forEach`: runs its steps once per item (up to `concurrency` at a time); the output lists each iteration's step outputs. */
export async function runForEach(
  x: Execution,
  step: ForEachStep,
  frame: Frame,
  base: StepRecord,
  previous?: StepRecord,
): Promise<StepResult> {
  let items = (previous?.input as { items?: unknown[] } | undefined)?.items;
  if (!items) {
    const value =
      typeof step.items === 'string' ? await evaluateExpression(step, 'forEach', step.items, frame.scope) : step.items;
    items = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (items.length > x.limits.maxIterations) {
      throw new Error(`forEach has ${items.length} items; a run may loop over at most ${x.limits.maxIterations}`);
    }
    decide(x, base, { items }, undefined);
  }
  const list = items;
  const results: Record<string, unknown>[] = new Array(list.length);
  await pool(list.length, step.concurrency, async (index) => {
    const scope: Scope = {
      ...frame.scope,
      steps: { ...frame.scope.steps },
      [step.as]: list[index],
      loop: { index, count: list.length },
    };
    const iteration: Frame = { ...frame, scope, prefix: `${frame.prefix}${step.id}[${index}].`, parentKey: base.key };
    await runSequence(x, step.steps, iteration);
    results[index] = outputsOf(step.steps, scope);
  });
  return { output: results, input: { items: list } };
}

/** `parallel`: runs every branch at once; the output lists each branch's step outputs. */
export async function runParallel(x: Execution, step: ParallelStep, frame: Frame, base: StepRecord): Promise<StepResult> {
  const inner = childFrame(frame, base);
  await pool(step.branches.length, step.branches.length, (index) => runSequence(x, step.branches[index]!.steps, inner));
  return { output: step.branches.map((branch) => outputsOf(branch.steps, frame.scope)) };
}

/**
 * `scope`: runs its steps; if one fails, runs `onFailure` with `error` readable (the failure is
 * then handled and the run goes on), and `always` in every case. Waits, stops and cancels are not
 * failures: they pass through without running either.
 */
export async function runScope(x: Execution, step: ScopeStep, frame: Frame, base: StepRecord): Promise<StepResult> {
  const inner = childFrame(frame, base);
  let failure: StepFailure | undefined;
  try {
    await runSequence(x, step.steps, inner);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    failure = error;
  }
  let unhandled = failure;
  if (failure && step.onFailure.length > 0) {
    const previousError = frame.scope.error;
    frame.scope.error = { step: failure.stepId, message: failure.message };
    try {
      await runSequence(x, step.onFailure, inner);
      unhandled = undefined;
    } finally {
      frame.scope.error = previousError;
    }
  }
  await runSequence(x, step.always, inner);
  if (unhandled) throw unhandled;
  return {
    output: { failed: failure !== undefined, error: failure ? { step: failure.stepId, message: failure.message } : null },
  };
}

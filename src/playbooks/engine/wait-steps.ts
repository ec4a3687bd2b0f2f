import type { ApprovalStep, WaitStep } from '../definition/definition-types.js';
import { evaluateExpression, renderTemplate } from './compiled-parts.js';
import type { ApprovalState, Execution, Frame } from './execution.js';
import type { StepRecord } from './run-journal.js';
import { RunSuspend } from './run-signals.js';
import type { StepResult } from './step-runner.js';

/** How soon a run waiting for an approval checks that the request went out. */
const DELIVERY_CHECK_MS = 60_000;

/** Waits shorter than this sleep in the worker instead of releasing the run. */
const SLEEP_IN_PLACE_MS = 2_000;
const MAX_WAIT_MS = 30 * 24 * 60 * 60 * 1000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function timeOf(value: unknown): number {
  const at = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(at)) throw new Error(`wait until needs a time (ISO 8601 or milliseconds); got ${JSON.stringify(value)}`);
  return at;
}

/** `wait`: until a duration has passed or a time has come; long waits release the worker and resume later. */
export async function runWait(
  x: Execution,
  step: WaitStep,
  frame: Frame,
  base: StepRecord,
  previous?: StepRecord,
): Promise<StepResult> {
  let wakeAt = (previous?.output as { wakeAt?: number } | undefined)?.wakeAt;
  if (wakeAt === undefined) {
    wakeAt =
      step.duration !== undefined
        ? x.now() + step.duration
        : timeOf(await evaluateExpression(step, 'until', step.until!, frame.scope));
    if (wakeAt - x.now() > MAX_WAIT_MS) throw new Error(`wait until ${new Date(wakeAt).toISOString()} is more than 30 days away`);
  }
  let left = wakeAt - x.now();
  // The frame's signal ends the sleep on a cancel of the run and on an enclosing step's timeout.
  // A timer may fire a millisecond early by the wall clock: sleep again (a few times at most)
  // until the time has come.
  for (let sleeps = 0; sleeps < 3 && left > 0 && left <= SLEEP_IN_PLACE_MS && !frame.signal.aborted; sleeps += 1) {
    await sleep(left, frame.signal);
    left = wakeAt - x.now();
  }
  if (left > SLEEP_IN_PLACE_MS) {
    x.journal.record({ ...base, status: 'waiting', output: { wakeAt } });
    throw new RunSuspend(wakeAt);
  }
  x.checkInterrupt();
  if (frame.signal.aborted) throw new Error(String(frame.signal.reason));
  return { output: { waitedUntil: new Date(wakeAt).toISOString() } };
}

/** The approval step's output once decided. */
function decided(approvalId: string, state: ApprovalState) {
  return {
    approvalId,
    choice: state.choice,
    expired: state.status === 'expired',
    answeredBy: state.answeredBy,
    answeredAt: state.answeredAt === null ? null : new Date(state.answeredAt).toISOString(),
  };
}

/**
 * `approval`: asks people to choose (email links, chat, the API and UI) and waits durably for
 * the answer; past the expiry the default choice applies. The output names the choice and who made it.
 */
export async function runApproval(
  x: Execution,
  step: ApprovalStep,
  frame: Frame,
  base: StepRecord,
  previous?: StepRecord,
): Promise<StepResult> {
  const approvalId = (previous?.output as { approvalId?: string } | undefined)?.approvalId;
  if (!approvalId) {
    const rendered = (await renderTemplate(
      step,
      'approval',
      { message: step.message, assignees: step.assignees },
      frame.scope,
    )) as {
      message: unknown;
      assignees: { users: unknown; groups: unknown };
    };
    const list = (v: unknown) => (Array.isArray(v) ? v : v === null || v === undefined || v === '' ? [] : [v]).map(String);
    const request = {
      message: String(rendered.message ?? ''),
      choices: step.choices,
      users: list(rendered.assignees.users),
      groups: list(rendered.assignees.groups),
      expiresAt: x.now() + step.expiresIn,
      defaultChoice: step.defaultChoice,
      notify: step.notify,
    };
    const { approvalId: id } = await x.approvals.request(x, base, request);
    x.newApprovals.push(id);
    const input = { message: request.message, choices: request.choices, users: request.users, groups: request.groups };
    x.journal.record({ ...base, status: 'waiting', input, output: { approvalId: id, expiresAt: request.expiresAt } });
    // Delivered right after this wait is written; should the process die in between, the run
    // wakes shortly to deliver it (and then sleeps until the expiry).
    throw new RunSuspend(Math.min(request.expiresAt, x.now() + DELIVERY_CHECK_MS));
  }
  let state = await x.approvals.state(x, approvalId);
  if (state.status === 'pending' && x.now() >= state.expiresAt) state = await x.approvals.expire(x, approvalId);
  if (state.status === 'pending') {
    if (!state.notified) await x.approvals.deliver(x, approvalId);
    throw new RunSuspend(state.expiresAt);
  }
  if (state.status === 'cancelled') throw new Error('the approval request was cancelled');
  return { output: decided(approvalId, state) };
}

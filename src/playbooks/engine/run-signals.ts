/**
 * What interrupts a run's steps, as exceptions the step runner passes up: a step failed, a `stop`
 * step ended the run, the run must wait (time or approval), it was cancelled, or its worker lost
 * the lease (another worker owns the run now).
 */

/** A step failed and nothing handled it (no continueOnError, no enclosing scope with onFailure). */
export class StepFailure extends Error {
  constructor(
    readonly stepId: string,
    message: string,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** A `stop` step: the run ends now with this status and message. */
export class RunStop extends Error {
  readonly status: 'succeeded' | 'failed';

  constructor(status: 'succeeded' | 'failed', message: string) {
    // A signal, not a fault: its stack would never be read (and many runs end through one).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.status = status;
    this.name = 'RunStop';
  }
}

/** The run waits until `wakeAt` (a time, or an approval's expiry); it resumes from its records. */
export class RunSuspend extends Error {
  constructor(readonly wakeAt: number) {
    super('waiting');
    this.name = 'RunSuspend';
  }
}

/** The run was cancelled by a person. */
export class RunCancelled extends Error {
  constructor(readonly by: string | null) {
    super('cancelled');
    this.name = 'RunCancelled';
  }
}

/** This worker no longer holds the run's lease: stop without writing anything more. */
export class LeaseLost extends Error {
  constructor() {
    super('lease lost');
    this.name = 'LeaseLost';
  }
}

/** Whichever interruption should win when parallel branches end differently: lease, cancel, stop, failure, then wait. */
export function strongestInterruption(errors: unknown[]): unknown {
  const rank = (e: unknown) =>
    e instanceof LeaseLost ? 5 : e instanceof RunCancelled ? 4 : e instanceof RunStop ? 3 : e instanceof RunSuspend ? 1 : 2;
  let strongest: unknown;
  for (const error of errors) {
    if (strongest === undefined || rank(error) > rank(strongest)) strongest = error;
    else if (error instanceof RunSuspend && strongest instanceof RunSuspend && error.wakeAt < strongest.wakeAt) strongest = error;
  }
  return strongest;
}

/** An expression that does not compile or fails while it runs; `path` names the field it came from. */
export class ExpressionError extends Error {
  constructor(
    /** Where the expression is written, e.g. `steps[2].with.ip`. */
    readonly path: string,
    /** What went wrong, without the path (the message is `${path}: ${reason}`). */
    readonly reason: string,
    /** Character offset in the field's text, when known. */
    readonly position?: number,
  ) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'ExpressionError';
  }
}

// The code of errors the sandbox throws from inside an evaluation (limits and refused operations).
const SANDBOX_ERROR_CODE = 'VIGIL_SANDBOX';

/** An error thrown from a sandbox hook or guarded function; JSONata passes it through to the caller. */
export function sandboxError(message: string): Error {
  return Object.assign(new Error(message), { code: SANDBOX_ERROR_CODE });
}

/** The document every expression reads: `incident.title`, `steps.vt.output`, `vars.count`, the loop variable, … */
export interface ExpressionScope {
  trigger?: unknown;
  incident?: unknown;
  alert?: unknown;
  entity?: unknown;
  inputs?: Record<string, unknown>;
  steps?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  connections?: Record<string, unknown>;
  run?: unknown;
  /** The failure being handled, in a scope's `onFailure` and `always` steps. */
  error?: unknown;
  /** The current iteration (index, …) inside a forEach. */
  loop?: unknown;
  /** The loop variable (`as:` of a forEach, `item` by default). */
  [name: string]: unknown;
}

/** The names at the root of the scope that are not loop variables (a forEach's `as` may not take one). */
export const SCOPE_ROOTS = [
  'trigger',
  'incident',
  'alert',
  'entity',
  'inputs',
  'steps',
  'vars',
  'connections',
  'run',
  'error',
  'loop',
] as const;

export type ScopeRoot = (typeof SCOPE_ROOTS)[number];

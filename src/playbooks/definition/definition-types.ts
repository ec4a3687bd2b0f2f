/**
 * A playbook definition after parsing and validation (YAML or JSON in, this out). Durations are
 * milliseconds; expressions are still text (`${{ … }}`), compiled by the expressions module.
 * Every step has an `id`: the author's, or one derived from its position (leading underscore).
 */

/** How a playbook is started. */
export type PlaybookTrigger =
  | { type: 'incident' }
  | { type: 'alert' }
  | { type: 'manual'; targets: ('incident' | 'alert' | 'entity')[] }
  | { type: 'webhook' }
  | { type: 'schedule'; cron: string; timezone: string };

export type TriggerType = PlaybookTrigger['type'];

/** A declared input (manual and webhook runs pass them; others get defaults). */
export interface InputDeclaration {
  type: 'string' | 'number' | 'boolean' | 'object' | 'array';
  required: boolean;
  default?: unknown;
  description?: string;
}

/** What every step may have. */
export interface StepBase {
  id: string;
  name?: string;
  /** Milliseconds; the action (or the whole control step) fails with a timeout after it. */
  timeout?: number;
  retry?: { count: number; initialDelay: number; factor: number; maxDelay: number };
  /** A failure is recorded and the run goes on (the step's `error` is readable). */
  continueOnError: boolean;
}

export interface ActionStep extends StepBase {
  kind: 'action';
  /** `connector.action`. */
  uses: string;
  /** Inputs: any JSON, strings may hold `${{ … }}`. */
  with: Record<string, unknown>;
  /** The alias of one of the playbook's `connections`. */
  connection?: string;
}

export interface IfStep extends StepBase {
  kind: 'if';
  condition: string;
  then: Step[];
  else: Step[];
}

export interface SwitchStep extends StepBase {
  kind: 'switch';
  value: string;
  /** Compared with the value as strings; the first equal key wins. */
  cases: { value: string; steps: Step[] }[];
  default: Step[];
}

export interface ForEachStep extends StepBase {
  kind: 'forEach';
  /** An expression, or a literal list. */
  items: string | unknown[];
  /** The name the current item is read by (default `item`). */
  as: string;
  /** Iterations at a time, 1–20. */
  concurrency: number;
  steps: Step[];
}

export interface ParallelStep extends StepBase {
  kind: 'parallel';
  branches: { name?: string; steps: Step[] }[];
}

export interface ScopeStep extends StepBase {
  kind: 'scope';
  steps: Step[];
  /** Runs when a step in `steps` failed (and was not continueOnError); `error` is readable. */
  onFailure: Step[];
  /** Runs after `steps` (and `onFailure`) whatever happened. */
  always: Step[];
}

export interface WaitStep extends StepBase {
  kind: 'wait';
  /** Milliseconds, or an expression giving an ISO time. Exactly one is set. */
  duration?: number;
  until?: string;
}

export interface ApprovalStep extends StepBase {
  kind: 'approval';
  message: string;
  choices: string[];
  assignees: { users: string[]; groups: string[] };
  /** Milliseconds until the default choice applies. */
  expiresIn: number;
  defaultChoice: string;
  notify: { email: boolean; slack?: string; teams?: string };
}

export interface SetStep extends StepBase {
  kind: 'set';
  /** Variable name → value (any JSON, strings may hold expressions). */
  values: Record<string, unknown>;
}

export interface StopStep extends StepBase {
  kind: 'stop';
  status: 'succeeded' | 'failed';
  message?: string;
}

export type Step =
  ActionStep | IfStep | SwitchStep | ForEachStep | ParallelStep | ScopeStep | WaitStep | ApprovalStep | SetStep | StopStep;

export type StepKind = Step['kind'];

/** Bounds a definition may lower (never raise above the server's). */
export interface RunLimits {
  /** Steps executed in one run (each loop iteration's steps count). */
  maxSteps: number;
  /** Milliseconds from start to finish, not counting waits for time or approval. */
  timeout: number;
}

/** A validated playbook definition. */
export interface PlaybookDefinition {
  name: string;
  description: string;
  enabled: boolean;
  trigger: PlaybookTrigger;
  inputs: Record<string, InputDeclaration>;
  /** Alias → connection name in the workspace. */
  connections: Record<string, string>;
  limits?: Partial<RunLimits>;
  steps: Step[];
}

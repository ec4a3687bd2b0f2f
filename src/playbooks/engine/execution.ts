import type { Access } from '../../auth/permissions.js';
import type { Actor } from '../../common/actor.js';
import type { ActionDefinition, ResolvedConnection } from '../../connectors/action.js';
import type { PlaybookDefinition, StepKind } from '../definition/definition-types.js';
import type { RunJournal, StepRecord } from './run-journal.js';

/** Bounds on one run; a definition's `limits` may lower them. */
export interface EngineLimits {
  maxSteps: number;
  /** Milliseconds of activity (waits for time or approval do not count). */
  timeoutMs: number;
  maxIterations: number;
  /** Serialized size of one step's rendered input or output. */
  maxStepBytes: number;
  /** Default timeout of an action step that sets none. */
  actionTimeoutMs: number;
}

/** Defaults for EngineLimits. */
export const DEFAULT_ENGINE_LIMITS: EngineLimits = {
  maxSteps: 10_000,
  timeoutMs: 60 * 60 * 1000,
  maxIterations: 10_000,
  maxStepBytes: 1024 * 1024,
  actionTimeoutMs: 120_000,
};

/** What a run is, as the steps see it. */
export interface RunInfo {
  workspaceId: string;
  id: string;
  playbookId: string;
  playbookName: string;
  version: number;
  triggerKind: string;
  incidentId: string | null;
  alertId: string | null;
}

/** What the steps of one run read: the expression scope is `scope`, a step's results go in `scope.steps`. */
export interface Frame {
  scope: Scope;
  /** Prepended to step ids to make instance keys (loop iterations add `loopKey[i].`). */
  prefix: string;
  parentKey: string | null;
  /** Aborted when an enclosing step times out. */
  signal: AbortSignal;
}

/** A step's result as expressions read it: `steps.<id>.output`. */
export interface StepView {
  output: unknown;
  status: string;
  error: string | null;
}

/** The expression input document. */
export interface Scope {
  steps: Record<string, StepView>;
  vars: Record<string, unknown>;
  [name: string]: unknown;
}

/** Finds actions by id (built-in and connector actions). */
export interface ActionCatalog {
  action(id: string): ActionDefinition | undefined;
}

/** One attempt at executing a run: everything the step runners share. */
export interface Execution {
  run: RunInfo;
  definition: PlaybookDefinition;
  journal: RunJournal;
  catalog: ActionCatalog;
  limits: EngineLimits;
  now: () => number;
  publicUrl: string;
  /** The playbook as an actor (activity entries name it). */
  actor: Actor;
  /** The playbook's access to its workspace, for built-in actions. */
  access: Access;
  /** The playbook's connections by alias. */
  connections: Map<string, ResolvedConnection>;
  /** Aborted when the run is cancelled or the lease is lost. */
  signal: AbortSignal;
  /** Throws RunCancelled or LeaseLost when the run must stop. */
  checkInterrupt(): void;
  /** Counts a step about to execute; fails the run past the step limit. */
  countStep(kind: StepKind): void;
  /** Hooks for steps that wait on people (approvals module). */
  approvals: ApprovalPort;
  /** Approvals requested in this attempt: notified once the run's wait is written. */
  newApprovals: string[];
  /** Adds values (e.g. a generated password an action returned) to what records never show. */
  addSecrets(values: string[]): void;
}

/** What approval steps need from the approvals module. */
export interface ApprovalPort {
  /** Builds the approval request and its links (buffered into the journal by the step). */
  request(x: Execution, record: Pick<StepRecord, 'key'>, request: ApprovalRequest): Promise<{ approvalId: string }>;
  /** The approval's state, to resume. */
  state(x: Execution, approvalId: string): Promise<ApprovalState>;
  /** Applies the default choice to an approval past its expiry (if nobody answered first). */
  expire(x: Execution, approvalId: string): Promise<ApprovalState>;
  /** Sends the approval's notifications (email links, chat) once it is written; records that it did. */
  deliver(x: Execution, approvalId: string): Promise<void>;
}

/** An approval step's rendered request. */
export interface ApprovalRequest {
  message: string;
  choices: string[];
  users: string[];
  groups: string[];
  expiresAt: number;
  defaultChoice: string;
  notify: { email: boolean; slack?: string; teams?: string };
}

/** Where an approval stands. */
export interface ApprovalState {
  status: 'pending' | 'answered' | 'expired' | 'cancelled';
  choice: string | null;
  answeredBy: { id: string; name: string; email: string | null } | null;
  answeredAt: number | null;
  expiresAt: number;
  /** Whether its notifications went out (a run resumed after a crash sends them if not). */
  notified: boolean;
}

import type { z } from 'zod';
import type { Actor } from '../common/actor.js';

/**
 * The contract between the playbook engine and every action it can run: built-in incident
 * actions and the external connectors (HTTP, email, Slack, Teams, VirusTotal, identity provider).
 */

/**
 * What running an action does to the world, which decides how the engine makes it durable:
 * - `none`: computes from its input only (or reads Vigil's own data); recomputed after a crash.
 * - `read`: asks an outside service without changing it; its result is saved when it returns.
 * - `write`: changes something; everything before it is saved first, its result right after, and
 *   it receives an idempotency key the service can use to drop a repeated call.
 */
export type ActionEffect = 'none' | 'read' | 'write';

/** A connection as an action receives it: settings and decrypted secrets. Never logged. */
export interface ResolvedConnection {
  id: string;
  name: string;
  connector: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** What the engine gives an action when it runs it. */
export interface ActionContext {
  workspaceId: string;
  runId: string;
  /** The step instance being run (stable across retries and resumes). */
  stepKey: string;
  /** `${runId}:${stepKey}`: send it where the service supports idempotency keys. */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the step times out or the run is cancelled. */
  signal: AbortSignal;
  /** The step's connection, when its connector uses one. */
  connection?: ResolvedConnection;
  /** Who the playbook acts as: `{ type: 'playbook', id, name }`. */
  actor: Actor;
  /** The public URL of this server (for links in messages). */
  publicUrl: string;
}

/** One action: typed input and output, documented, and how to run it. */
export interface ActionDefinition<I = any, O = any> {
  /** `connector.action`, e.g. `virustotal.ipReport`; what a step's `uses:` names. */
  id: string;
  title: string;
  /** One or two sentences for the generated reference. */
  description: string;
  /** Validates the step's inputs after expressions are rendered (a zod object schema). */
  input: z.ZodType<I>;
  /** What the action returns (documentation, and checked in tests). */
  output: z.ZodType<O>;
  effect: ActionEffect;
  run(context: ActionContext, input: I): Promise<O>;
}

/** A connector: a family of actions sharing a connection type. */
export interface ConnectorDefinition {
  /** e.g. `virustotal`; also the prefix of its actions' ids. */
  id: string;
  title: string;
  description: string;
  /**
   * Whether its actions need a connection: `required`, `optional` (e.g. HTTP without auth), or
   * `none` (built-in actions).
   */
  connection: 'required' | 'optional' | 'none';
  /** Non-secret connection settings (base URL, allowlist, …): a zod object schema. */
  settings: z.ZodType<Record<string, unknown>>;
  /** Secret connection fields (API keys, passwords): write-only, encrypted at rest. */
  secrets: z.ZodType<Record<string, string>>;
  /** Checks a connection works (e.g. an authenticated request); throws with a message if not. */
  test?(connection: ResolvedConnection, signal: AbortSignal): Promise<void>;
  actions: ActionDefinition[];
}

/** An error an action throws for a failure worth showing as is (the service's answer, a refused address). */
export class ActionError extends Error {
  constructor(
    message: string,
    /** Whether trying again may help (timeouts, 429, 5xx); retries only happen when the step asks for them. */
    readonly retryable = false,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

import type { Access } from '../../auth/permissions.js';
import type { ActionContext, ActionDefinition } from '../../connectors/action.js';
import type { Executor } from '../../storage/dialect.js';

/** What built-in actions get besides the connector context: the playbook's access and the run's trigger. */
export interface BuiltinContext extends ActionContext {
  access: Access;
  trigger: { incidentId: string | null; alertId: string | null };
}

/**
 * A built-in action over Vigil's own data. Reads implement `run`; changes implement `runWithin`,
 * which the engine calls inside a transaction that also records the step, so the change and its
 * record commit together (a resumed run never applies it twice).
 */
export interface BuiltinActionDefinition<I = any, O = any> extends ActionDefinition<I, O> {
  runWithin?(trx: Executor, context: BuiltinContext, input: I): Promise<O>;
}

import type { ActionContext, ResolvedConnection } from '../../../src/connectors/action.js';

/** An ActionContext as the engine would build it, for running one action in a unit test. */
export function fakeActionContext(overrides: Partial<ActionContext> = {}): ActionContext {
  const runId = overrides.runId ?? 'run_test1';
  const stepKey = overrides.stepKey ?? 'step1';
  return {
    workspaceId: 'ws_default',
    runId,
    stepKey,
    idempotencyKey: `${runId}:${stepKey}`,
    attempt: 1,
    signal: new AbortController().signal,
    actor: { type: 'playbook', id: 'pb_test', name: 'Test playbook' },
    publicUrl: 'http://vigil.test',
    ...overrides,
  };
}

/** A decrypted connection of a connector, as an action receives it. */
export function fakeConnection(
  connector: string,
  settings: Record<string, unknown>,
  secrets: Record<string, string> = {},
): ResolvedConnection {
  return { id: `conn_${connector}`, name: `Test ${connector}`, connector, settings, secrets };
}

import type { Actor } from '../common/actor.js';
import type { Executor } from '../storage/dialect.js';
import type { RuleOutcome } from './rule-engine.js';

/** A playbook run an automation rule (or an analytics rule's automated response) asks for. */
export interface LaunchRequest {
  /** Playbook id or name. */
  playbook: string;
  target: { kind: 'incident'; incidentId: string } | { kind: 'alert'; alertId: string; incidentId: string | null };
  /** The rule that asked. */
  source: Actor;
  /** Who made the change that fired the rule (a playbook never triggers itself). */
  causedBy?: Actor;
}

/** Starts playbook runs inside the triggering transaction (implemented by the playbooks module). */
export interface PlaybookLauncher {
  /** One result per request: the run started, or why not. */
  launch(
    trx: Executor,
    workspaceId: string,
    requests: LaunchRequest[],
    now: number,
  ): Promise<({ runId: string } | { error: string })[]>;
}

/** No playbook engine (tests of the rules alone): every Run playbook action fails with why. */
export const NO_PLAYBOOKS: PlaybookLauncher = {
  async launch(_trx, _ws, requests) {
    return requests.map(() => ({ error: 'playbooks are not available' }));
  },
};

/**
 * Starts the playbook runs rules asked for and records each in the rule's results: applied with
 * the run's id, or failed with why (a missing or disabled playbook, a playbook of another trigger).
 */
export async function launchRulePlaybooks(
  trx: Executor,
  launcher: PlaybookLauncher,
  workspaceId: string,
  items: { outcome: RuleOutcome; target: LaunchRequest['target']; causedBy?: Actor }[],
  now: number,
): Promise<void> {
  const requests: LaunchRequest[] = [];
  const slots: { outcome: RuleOutcome; resultIndex: number }[] = [];
  for (const { outcome, target, causedBy } of items) {
    let next = 0;
    outcome.results.forEach((result, resultIndex) => {
      if (result.type !== 'runPlaybook') return;
      const playbook = outcome.playbooks[next++];
      if (playbook === undefined) return;
      requests.push({ playbook, target, source: outcome.actor, causedBy });
      slots.push({ outcome, resultIndex });
    });
  }
  if (requests.length === 0) return;
  const launched = await launcher.launch(trx, workspaceId, requests, now);
  launched.forEach((result, i) => {
    const { outcome, resultIndex } = slots[i]!;
    const previous = outcome.results[resultIndex]!;
    outcome.results[resultIndex] =
      'runId' in result
        ? { ...previous, outcome: 'applied', detail: `run ${result.runId} started` }
        : { ...previous, outcome: 'failed', detail: result.error };
  });
}

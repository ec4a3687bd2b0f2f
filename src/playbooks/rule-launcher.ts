import type { LaunchRequest, PlaybookLauncher } from '../automation-rules/playbook-launcher.js';
import { isUuid } from '../ids/ids.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import type { RunQueue } from './engine/run-executor.js';
import { launchRuns, type LaunchSpec } from './run-launcher.js';

/** Why a rule's playbook cannot start, or undefined when it can. */
function refusal(
  request: LaunchRequest,
  p: { id: string; name: string; enabled: number; trigger_kind: string } | undefined,
): string | undefined {
  if (!p) return `there is no playbook ${JSON.stringify(request.playbook)} in this workspace`;
  if (p.enabled !== 1) return `playbook ${p.name} is disabled`;
  if (p.trigger_kind !== request.target.kind)
    return `playbook ${p.name} has the ${p.trigger_kind} trigger; this rule needs a playbook with the ${request.target.kind} trigger`;
  if (request.causedBy?.type === 'playbook' && request.causedBy.id === p.id)
    return `playbook ${p.name} made the change; a playbook does not start itself`;
  return undefined;
}

/**
 * Starts the playbooks automation rules and analytics rules ask for, inside the triggering
 * transaction: the rule's playbook by id or name, enabled, with the trigger the rule fires on.
 */
export function createPlaybookLauncher({ dialect, queue }: { dialect: Dialect; queue: () => RunQueue }): PlaybookLauncher {
  return {
    async launch(trx: Executor, workspaceId: string, requests: LaunchRequest[], now: number) {
      if (requests.length === 0) return [];
      const refs = [...new Set(requests.map((r) => r.playbook))];
      const ids = refs.filter(isUuid);
      const rows = await trx
        .selectFrom('playbooks')
        .select(['id', 'name', 'name_key', 'enabled', 'trigger_kind', 'current_version'])
        .where('workspace_id', '=', workspaceId)
        .where((eb) =>
          eb.or([
            eb(
              'name_key',
              'in',
              refs.map((r) => r.trim().toLowerCase()),
            ),
            ...(ids.length ? [eb('id', 'in', ids)] : []),
          ]),
        )
        .execute();
      const find = (ref: string) => rows.find((r) => r.id === ref) ?? rows.find((r) => r.name_key === ref.trim().toLowerCase());
      const results: ({ runId: string } | { error: string })[] = [];
      const specs: { index: number; spec: LaunchSpec }[] = [];
      requests.forEach((request, index) => {
        const p = find(request.playbook);
        const error = refusal(request, p);
        if (error || !p) {
          results[index] = { error: error ?? 'unknown playbook' };
          return;
        }
        const target = request.target;
        specs.push({
          index,
          spec: {
            workspaceId,
            playbookId: p.id,
            playbookName: p.name,
            version: p.current_version,
            trigger:
              target.kind === 'incident'
                ? { kind: 'incident', incidentId: target.incidentId, source: request.source }
                : { kind: 'alert', alertId: target.alertId, incidentId: target.incidentId ?? undefined, source: request.source },
            inputs: {},
            startedBy: request.source,
          },
        });
      });
      const runIds = await launchRuns(
        trx,
        dialect,
        queue(),
        specs.map((s) => s.spec),
        now,
      );
      specs.forEach(({ index }, i) => (results[index] = { runId: runIds[i]! }));
      return results;
    },
  };
}

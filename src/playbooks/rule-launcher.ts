import type { LaunchRequest, PlaybookLauncher } from '../automation-rules/playbook-launcher.js';
import { isUuid } from '../ids/ids.js';
import type { Dialect, Executor } from '../storage/dialect.js';
import { fromJson } from '../storage/json.js';
import type { RunTrigger } from './engine/run-context.js';
import type { RunQueue } from './engine/run-executor.js';
import { launchRuns, type LaunchSpec } from './run-launcher.js';

/** How many playbooks may follow one another through incident-updated rules (A's change starts B, …). */
const MAX_CHAIN = 5;

/** A rule's run trigger, with the playbooks whose changes led to it (oldest first). */
type RuleTrigger = RunTrigger & { chain?: string[] };

/** Why a rule's playbook cannot start, or undefined when it can. */
function refusal(
  request: LaunchRequest,
  p: { id: string; name: string; enabled: number; trigger_kind: string } | undefined,
  chain: string[],
): string | undefined {
  if (!p) return `there is no playbook ${JSON.stringify(request.playbook)} in this workspace`;
  if (p.enabled !== 1) return `playbook ${p.name} is disabled`;
  if (p.trigger_kind !== request.target.kind)
    return `playbook ${p.name} has the ${p.trigger_kind} trigger; this rule needs a playbook with the ${request.target.kind} trigger`;
  if (request.causedBy?.type === 'playbook' && request.causedBy.id === p.id)
    return `playbook ${p.name} made the change; a playbook does not start itself`;
  if (chain.includes(p.id))
    return `playbook ${p.name} already ran in this chain of automation (its changes started the playbook that made this one); it does not start again`;
  if (chain.length >= MAX_CHAIN)
    return `${chain.length} playbooks already ran one after another through automation rules; at most ${MAX_CHAIN} do`;
  return undefined;
}

/**
 * The chain of playbooks behind each request caused by a playbook's change: that playbook's
 * running run on the incident (its own chain), then that playbook. Guards against rules that make
 * playbooks start each other for ever. When several runs of that playbook run on the incident at
 * once, the longest chain counts (a change names its playbook, not its run).
 */
async function chainsOf(trx: Executor, workspaceId: string, requests: LaunchRequest[]): Promise<string[][]> {
  const caused = requests.filter((r) => r.causedBy?.type === 'playbook' && r.target.kind === 'incident');
  const runs = caused.length
    ? await trx
        .selectFrom('playbook_runs')
        .select(['playbook_id', 'incident_id', 'trigger'])
        .where('workspace_id', '=', workspaceId)
        .where('incident_id', 'in', [...new Set(caused.map((r) => (r.target.kind === 'incident' ? r.target.incidentId : '')))])
        .where('status', '=', 'running')
        .where('playbook_id', 'in', [...new Set(caused.map((r) => r.causedBy!.id))])
        .execute()
    : [];
  return requests.map((request) => {
    const causer = request.causedBy;
    if (causer?.type !== 'playbook' || request.target.kind !== 'incident') return [];
    const incidentId = request.target.incidentId;
    const parents = runs
      .filter((r) => r.playbook_id === causer.id && r.incident_id === incidentId)
      .map((r) => fromJson<RuleTrigger>(r.trigger, { kind: 'incident' }).chain ?? []);
    const longest = parents.reduce<string[]>((a, b) => (b.length > a.length ? b : a), []);
    return [...longest, causer.id];
  });
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
      const chains = await chainsOf(trx, workspaceId, requests);
      const results: ({ runId: string } | { error: string })[] = [];
      const specs: { index: number; spec: LaunchSpec }[] = [];
      requests.forEach((request, index) => {
        const p = find(request.playbook);
        const chain = chains[index]!;
        const error = refusal(request, p, chain);
        if (error || !p) {
          results[index] = { error: error ?? 'unknown playbook' };
          return;
        }
        const target = request.target;
        const trigger: RuleTrigger =
          target.kind === 'incident'
            ? { kind: 'incident', incidentId: target.incidentId, source: request.source, ...(chain.length ? { chain } : {}) }
            : { kind: 'alert', alertId: target.alertId, incidentId: target.incidentId ?? undefined, source: request.source };
        specs.push({
          index,
          spec: {
            workspaceId,
            playbookId: p.id,
            playbookName: p.name,
            version: p.current_version,
            trigger,
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

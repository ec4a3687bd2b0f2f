import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../common/actor.js';
import { InputError } from '../errors/errors.js';
import type { Executor } from '../storage/dialect.js';
import { fromJson, toJson } from '../storage/json.js';
import type { PlaybookRecord } from './playbook-repository.js';
import type { Checked } from './playbook-validation.js';

/** Writes that come with saving or deleting a playbook: its versions, its webhook token, who runs it. */

/** The hash stored for a webhook token. */
export const webhookHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The 400 a definition with problems gets: every problem, the first in the message. */
export function invalidPlaybook(checked: Checked): InputError {
  const first = checked.problems[0]!;
  return new InputError(
    `The playbook has ${checked.problems.length} problem(s); the first: ${first.path}: ${first.message}`,
    checked.problems,
  );
}

/** Stores the playbook's current version as written, with its definition and problems. */
export async function insertVersion(trx: Executor, p: PlaybookRecord, checked: Checked, actor: Actor, at: number): Promise<void> {
  await trx
    .insertInto('playbook_versions')
    .values({
      workspace_id: p.workspaceId,
      playbook_id: p.id,
      version: p.currentVersion,
      source: checked.source,
      format: checked.format,
      definition: toJson(checked.definition),
      problems: toJson(checked.problems),
      created_by: toJson(actor),
      created_at: at,
    })
    .execute();
}

/** A new webhook token for the playbook (the old one stops working); the URL is shown this once. */
export async function issueWebhook(trx: Executor, p: PlaybookRecord, at: number, publicUrl: string): Promise<string> {
  const token = `whk_${randomBytes(24).toString('base64url')}`;
  await trx.deleteFrom('playbook_webhooks').where('workspace_id', '=', p.workspaceId).where('playbook_id', '=', p.id).execute();
  await trx
    .insertInto('playbook_webhooks')
    .values({ token_hash: webhookHash(token), workspace_id: p.workspaceId, playbook_id: p.id, created_at: at })
    .execute();
  return `${publicUrl}/api/v1/hooks/${token}`;
}

/**
 * The automation rules and analytics rules that run a playbook (rules name it by id or name;
 * analytics rules by id), as "automation rule X" / "analytics rule Y" for a message.
 */
export async function rulesUsing(trx: Executor, playbook: { workspaceId: string; id: string; name: string }): Promise<string[]> {
  const automation = await trx
    .selectFrom('automation_rules')
    .select(['name', 'actions'])
    .where('workspace_id', '=', playbook.workspaceId)
    .where('actions', 'like', '%runPlaybook%')
    .execute();
  const refs = new Set([playbook.id, playbook.name.trim().toLowerCase()]);
  const runsIt = (actions: string) =>
    fromJson<{ type: string; playbook?: string }[]>(actions, []).some(
      (a) => a.type === 'runPlaybook' && a.playbook !== undefined && refs.has(a.playbook.trim().toLowerCase()),
    );
  const analytics = await trx
    .selectFrom('analytics_rules')
    .select(['name', 'playbook_ids'])
    .where('workspace_id', '=', playbook.workspaceId)
    .where('playbook_ids', 'like', `%${playbook.id}%`)
    .execute();
  return [
    ...automation.filter((r) => runsIt(r.actions)).map((r) => `automation rule ${JSON.stringify(r.name)}`),
    ...analytics
      .filter((r) => fromJson<string[]>(r.playbook_ids, []).includes(playbook.id))
      .map((r) => `analytics rule ${JSON.stringify(r.name)}`),
  ];
}

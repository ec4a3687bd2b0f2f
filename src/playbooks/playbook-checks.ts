import { RuleViolationError } from '../errors/errors.js';
import { isUuid } from '../ids/ids.js';
import type { Executor } from '../storage/dialect.js';

/** Checks that ids name playbooks of the workspace with the alert trigger (an analytics rule's automated response). */
export async function checkAlertPlaybooks(db: Executor, workspaceId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const uuids = ids.filter(isUuid);
  const rows = uuids.length
    ? await db
        .selectFrom('playbooks')
        .select(['id', 'name', 'trigger_kind'])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', uuids)
        .execute()
    : [];
  for (const [index, id] of ids.entries()) {
    const p = rows.find((r) => r.id === id);
    if (!p)
      throw new RuleViolationError(`playbookIds[${index}]: there is no playbook ${id} in this workspace`, [
        { path: `playbookIds[${index}]`, message: 'unknown playbook' },
      ]);
    if (p.trigger_kind !== 'alert') {
      throw new RuleViolationError(
        `playbookIds[${index}]: playbook ${p.name} has the ${p.trigger_kind} trigger; an automated response needs the alert trigger`,
        [{ path: `playbookIds[${index}]`, message: 'needs a playbook with the alert trigger' }],
      );
    }
  }
}

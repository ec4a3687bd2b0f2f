import { useState } from 'react';
import { useDeleteNotificationRule, useNotificationRules, type NotificationRule } from '../../api/notification-rules.js';
import { can, useMe } from '../../api/session.js';
import { useWorkspaceId } from '../../app/workspace.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { ReadOnlyNotice } from '../ReadOnlyNotice.js';
import { SettingsBody } from '../SettingsLayout.js';
import { RuleDeliveries } from './RuleDeliveries.js';
import { RuleForm } from './RuleForm.js';
import { RuleRow, type RuleAction } from './RuleRow.js';
import { TestSendDialog } from './TestSendDialog.js';
import { QueryList } from '../../ui/QueryList.js';

/** Email notification rules: who is mailed about which incidents, test sends and delivery logs. */
export function NotificationRulesPage() {
  const workspace = useWorkspaceId();
  const me = useMe();
  const canWrite = can(me.data, workspace, 'rules.write');
  const rules = useNotificationRules(workspace);
  const remove = useDeleteNotificationRule(workspace);
  const [open, setOpen] = useState<{ action: RuleAction | 'new'; rule?: NotificationRule } | null>(null);
  const close = () => setOpen(null);
  const current = open?.rule && rules.data?.items.find((r) => r.id === open.rule!.id);
  return (
    <SettingsBody intro="Email people when incidents are created or change. Bursts are folded into digests; each rule keeps a 30-day delivery log.">
      {!canWrite && (
        <ReadOnlyNotice>
          You can see the rules and their delivery logs; creating and changing them needs the Contributor or Owner role.
        </ReadOnlyNotice>
      )}
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          disabled={!canWrite}
          title={canWrite ? undefined : 'Needs the Contributor or Owner role'}
          onClick={() => setOpen({ action: 'new' })}
        >
          New notification rule
        </button>
        {rules.data && <span className="muted">{rules.data.items.length} of at most 100 rules</span>}
      </div>
      <QueryList
        query={rules}
        emptyTitle="No notification rules yet"
        empty="Create one to email the SOC leads about new High-severity incidents, or a team when its incidents change."
      >
        {(data) => (
          <table className="grid" aria-label="Notification rules">
            <thead>
              <tr>
                <th>Rule</th>
                <th>When</th>
                <th>Incidents</th>
                <th>Recipients</th>
                <th>Enabled</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {data.items.map((rule) => (
                <RuleRow
                  key={rule.id}
                  workspace={workspace}
                  rule={rule}
                  canWrite={canWrite}
                  onOpen={(action) => setOpen({ action, rule })}
                />
              ))}
            </tbody>
          </table>
        )}
      </QueryList>
      {open?.action === 'new' && <RuleForm workspace={workspace} onClose={close} />}
      {/* Edit the rule as it was opened: its etag makes a concurrent change a 412, not a silent overwrite. */}
      {open?.action === 'edit' && open.rule && <RuleForm workspace={workspace} rule={open.rule} onClose={close} />}
      {open?.action === 'test' && current && <TestSendDialog workspace={workspace} rule={current} onClose={close} />}
      {open?.action === 'log' && current && <RuleDeliveries workspace={workspace} rule={current} onClose={close} />}
      {open?.action === 'delete' && current && (
        <ConfirmDialog
          title={`Delete ${current.name}?`}
          confirmLabel="Delete rule"
          pending={remove.isPending}
          error={remove.error}
          onClose={close}
          onConfirm={() => remove.mutate(current, { onSuccess: close })}
        >
          Its emails not yet sent, including a pending digest, are skipped.
        </ConfirmDialog>
      )}
    </SettingsBody>
  );
}

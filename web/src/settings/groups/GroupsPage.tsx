import { useState } from 'react';
import { useGroups } from '../../api/groups.js';
import { useMe } from '../../api/session.js';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.js';
import { ReadOnlyNotice } from '../ReadOnlyNotice.js';
import { SettingsBody } from '../SettingsLayout.js';
import { GroupCard } from './GroupCard.js';
import { GroupDialog } from './GroupDialog.js';

/** Groups (server administrators): collect users, then give the group roles in workspaces. */
export function GroupsPage() {
  const me = useMe();
  const isAdmin = Boolean(me.data?.user.isAdmin);
  const groups = useGroups(isAdmin);
  const [creating, setCreating] = useState(false);
  if (!isAdmin) {
    return (
      <SettingsBody>
        <ReadOnlyNotice>
          Only server administrators manage groups. Ask one to create a group or change its members.
        </ReadOnlyNotice>
      </SettingsBody>
    );
  }
  return (
    <SettingsBody intro="A group collects users. Give it roles on the Members & roles tab of a workspace; its members get them, and it can own incidents.">
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New group
        </button>
      </div>
      {groups.isPending ? (
        <Loading />
      ) : groups.error ? (
        <ErrorNotice error={groups.error} onRetry={() => void groups.refetch()} />
      ) : groups.data.items.length === 0 ? (
        <EmptyState title="No groups yet">Create one (e.g. “SOC Tier 1”), add its analysts, then grant it a role.</EmptyState>
      ) : (
        groups.data.items.map((group) => <GroupCard key={group.id} group={group} />)
      )}
      {creating && <GroupDialog onClose={() => setCreating(false)} />}
    </SettingsBody>
  );
}

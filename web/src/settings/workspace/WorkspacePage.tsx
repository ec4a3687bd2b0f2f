import { can, useMe } from '../../api/session.js';
import { useWorkspace } from '../../api/workspaces.js';
import { useWorkspaceId } from '../../app/workspace.js';
import { ErrorNotice, Loading } from '../../ui/feedback.js';
import { ReadOnlyNotice } from '../ReadOnlyNotice.js';
import { SettingsBody } from '../SettingsLayout.js';
import { AllWorkspaces } from './AllWorkspaces.js';
import { GroupingForm } from './GroupingForm.js';
import { RenameForm } from './RenameForm.js';

/** Workspace: its name and default alert grouping (Owners), and for administrators every workspace. */
export function WorkspacePage() {
  const id = useWorkspaceId();
  const me = useMe();
  const workspace = useWorkspace(id);
  const isAdmin = Boolean(me.data?.user.isAdmin);
  const canEdit = (can(me.data, id, 'workspace.manage') || isAdmin) && !workspace.data?.archived;
  return (
    <SettingsBody>
      {!canEdit && workspace.data && (
        <ReadOnlyNotice>
          {workspace.data.archived
            ? 'This workspace is archived: nothing in it can change until an administrator unarchives it.'
            : 'Only the workspace’s Owners and server administrators can change these settings.'}
        </ReadOnlyNotice>
      )}
      {workspace.isPending ? (
        <Loading />
      ) : workspace.error ? (
        <ErrorNotice error={workspace.error} onRetry={() => void workspace.refetch()} />
      ) : (
        <>
          <RenameForm key={`name-${id}`} workspace={workspace.data} canEdit={canEdit} />
          <GroupingForm key={`grouping-${id}`} workspace={workspace.data} canEdit={canEdit} />
        </>
      )}
      {isAdmin && <AllWorkspaces />}
    </SettingsBody>
  );
}

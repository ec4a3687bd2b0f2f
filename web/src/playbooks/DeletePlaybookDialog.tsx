import { useDeletePlaybook, type Playbook } from '../api/playbooks.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';

/** Confirms deleting a playbook; a refusal (runs in progress, rules that run it) shows in the dialog. */
export function DeletePlaybookDialog({
  workspace,
  playbook,
  onClose,
}: {
  workspace: string;
  playbook: Playbook;
  onClose: () => void;
}) {
  const remove = useDeletePlaybook(workspace);
  return (
    <ConfirmDialog
      title={`Delete ${playbook.name}?`}
      confirmLabel="Delete playbook"
      pendingLabel="Delete playbook"
      pending={remove.isPending}
      error={remove.error}
      what="playbook"
      onClose={onClose}
      onConfirm={() => remove.mutate(playbook, { onSuccess: onClose })}
    >
      <p>
        The playbook, its {playbook.version} {playbook.version === 1 ? 'version' : 'versions'} and its webhook URL are deleted.
        Its past runs stay in the run history.
      </p>
    </ConfirmDialog>
  );
}

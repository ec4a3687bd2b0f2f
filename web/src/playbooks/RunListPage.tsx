import { PageHeader } from '../app/Layout.js';
import { useWorkspaceId } from '../app/workspace.js';
import { RunTable } from './RunTable.js';
import './playbooks.css';

/** /w/:ws/runs — the workspace's playbook runs, newest first, filtered by status and playbook. */
export function RunListPage() {
  const workspace = useWorkspaceId();
  return (
    <>
      <PageHeader title="Playbook runs" />
      <div className="page-body">
        <RunTable workspace={workspace} />
      </div>
    </>
  );
}

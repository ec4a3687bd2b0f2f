import { Navigate, useParams, type RouteObject } from 'react-router-dom';
import { useRunWorkspace } from '../api/runs.js';
import { useWorkspaces, wsUrl } from '../app/workspace.js';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.js';
import { ApprovalsPage } from './ApprovalsPage.js';
import { ConnectionsPage } from './ConnectionsPage.js';
import { PlaybookListPage } from './PlaybookListPage.js';
import { NewPlaybookPage, PlaybookPage } from './PlaybookPage.js';
import { RunListPage } from './RunListPage.js';
import { RunPage } from './RunPage.js';

/** /runs/:run (links without a workspace): finds the run's workspace and opens it there. */
function RunRedirect() {
  const { run = '' } = useParams();
  const workspaces = useWorkspaces();
  const found = useRunWorkspace(
    run,
    workspaces.map((w) => w.id),
  );
  if (workspaces.length === 0) return <EmptyState title="You are not a member of any workspace yet" />;
  if (found.isPending) return <Loading label="Finding the run…" />;
  if (found.error) return <ErrorNotice error={found.error} what="run" onRetry={() => void found.refetch()} />;
  if (!found.data) {
    return (
      <EmptyState title="This run was not found">
        It may have been deleted, or it is in a workspace you are not a member of.
      </EmptyState>
    );
  }
  return <Navigate to={wsUrl(found.data, `/runs/${run}`)} replace />;
}

/** /approvals: the approvals inbox of the first workspace. */
function ApprovalsRedirect() {
  const workspaces = useWorkspaces();
  const first = workspaces.find((w) => w.id === 'default') ?? workspaces[0];
  if (!first) return <EmptyState title="You are not a member of any workspace yet" />;
  return <Navigate to={wsUrl(first.id, '/approvals')} replace />;
}

/** Playbook, run, connection and approval screens under /w/:workspace. */
export const playbookRoutes: RouteObject[] = [
  { path: 'playbooks', element: <PlaybookListPage /> },
  { path: 'playbooks/new', element: <NewPlaybookPage /> },
  { path: 'playbooks/:playbook', element: <PlaybookPage /> },
  { path: 'runs', element: <RunListPage /> },
  { path: 'runs/:run', element: <RunPage /> },
  { path: 'connections', element: <ConnectionsPage /> },
  { path: 'approvals', element: <ApprovalsPage /> },
];

/** Playbook screens outside a workspace (e.g. /runs/:run links from notifications). */
export const globalPlaybookRoutes: RouteObject[] = [
  { path: '/runs/:run', element: <RunRedirect /> },
  { path: '/approvals', element: <ApprovalsRedirect /> },
];

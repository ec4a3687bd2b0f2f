import type { RouteObject } from 'react-router-dom';
import { useWorkspaceId } from '../app/workspace.js';
import { QueueView } from './QueueView.js';

/** The incident queue of the workspace in the URL. */
function WorkspaceQueuePage() {
  const workspace = useWorkspaceId();
  return <QueueView key={workspace} workspace={workspace} />;
}

/** Queue screens under /w/:workspace (the incident queue). */
export const queueRoutes: RouteObject[] = [{ path: 'incidents', element: <WorkspaceQueuePage /> }];
/** Queue screens outside a workspace (the cross-workspace queue at /incidents). */
export const globalQueueRoutes: RouteObject[] = [{ path: '/incidents', element: <QueueView workspace={null} /> }];

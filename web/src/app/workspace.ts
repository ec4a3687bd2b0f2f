import { useParams } from 'react-router-dom';
import { useMe } from '../api/session.js';

/** The workspace in the URL (`/w/:workspace/…`); screens under it always have one. */
export function useWorkspaceId(): string {
  const { workspace } = useParams();
  if (!workspace) throw new Error('useWorkspaceId used outside /w/:workspace');
  return workspace;
}

/** The caller's workspaces that are not archived, by name. */
export function useWorkspaces() {
  const me = useMe();
  return (me.data?.workspaces ?? []).filter((w) => !w.archived).sort((a, b) => a.name.localeCompare(b.name));
}

/** Path of a screen in a workspace: wsUrl('default', '/incidents/4') → /w/default/incidents/4 */
export function wsUrl(workspace: string, path: string): string {
  return `/w/${encodeURIComponent(workspace)}${path}`;
}

import type { Client } from '../client.js';
import { output, table } from '../format.js';

const enc = encodeURIComponent;

interface WorkspaceRow {
  id: string;
  name: string;
  archived: boolean;
  roles: string[];
}

/** `vigil workspaces list [--all]`. */
export async function listWorkspaces(client: Client, all: boolean, json: boolean): Promise<void> {
  const page = (await client.request('GET', `/api/v1/workspaces${all ? '?all=true&archived=true' : ''}`)).body as {
    items: WorkspaceRow[];
  };
  output(json, page, () =>
    table(page.items, [
      { heading: 'Id', value: (w) => w.id },
      { heading: 'Name', value: (w) => w.name },
      { heading: 'Archived', value: (w) => (w.archived ? 'yes' : '') },
      { heading: 'Your roles', value: (w) => w.roles },
    ]),
  );
}

/** `vigil workspaces create <id> --name … [--owner email]`. */
export async function createWorkspace(
  client: Client,
  id: string,
  options: { name: string; owner?: string },
  json: boolean,
): Promise<void> {
  const owner = options.owner
    ? options.owner.includes('@')
      ? { email: options.owner }
      : { type: 'group', name: options.owner }
    : undefined;
  const workspace = (await client.request('POST', '/api/v1/workspaces', { id, name: options.name, ...(owner ? { owner } : {}) }))
    .body as WorkspaceRow;
  output(json, workspace, () => `Created workspace ${workspace.id} (${workspace.name}).`);
}

/** `vigil workspaces archive|unarchive <id>`. */
export async function archiveWorkspace(client: Client, id: string, archive: boolean, json: boolean): Promise<void> {
  const workspace = (await client.request('POST', `/api/v1/workspaces/${enc(id)}/${archive ? 'archive' : 'unarchive'}`)).body;
  output(json, workspace, () => `Workspace ${id} ${archive ? 'archived: read-only' : 'is active again'}.`);
}

/** `vigil workspaces members`: the current workspace's members and roles. */
export async function listMembers(client: Client, json: boolean): Promise<void> {
  const page = (await client.request('GET', `/api/v1/workspaces/${enc(client.workspace)}/members`)).body as {
    items: { type: string; name: string; email: string | null; roles: string[] }[];
  };
  output(json, page, () =>
    table(page.items, [
      { heading: 'Type', value: (m) => m.type },
      { heading: 'Name', value: (m) => m.name },
      { heading: 'Email', value: (m) => m.email ?? '' },
      { heading: 'Roles', value: (m) => m.roles },
    ]),
  );
}

/** `vigil workspaces grant <user-email|group-name> --role …` sets the roles; with none, removes them. */
export async function grantRoles(client: Client, who: string, roles: string[], json: boolean): Promise<void> {
  const principal = who.includes('@') ? { type: 'user', email: who } : { type: 'group', name: who };
  const page = (await client.request('PUT', `/api/v1/workspaces/${enc(client.workspace)}/members`, { ...principal, roles })).body;
  output(json, page, () =>
    roles.length
      ? `${who} now holds ${roles.join(', ')} in ${client.workspace}.`
      : `${who} no longer holds a role in ${client.workspace}.`,
  );
}

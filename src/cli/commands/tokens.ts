import type { Client } from '../client.js';
import { output, shortTime, table } from '../format.js';

/** Creates an API token (shown once). */
export async function createToken(
  client: Client,
  options: { name: string; role: string; expires?: string; user?: string },
  json: boolean,
): Promise<void> {
  const body = {
    name: options.name,
    workspace: client.workspace,
    role: options.role,
    ...(options.expires ? { expiresAt: options.expires } : {}),
    ...(options.user ? { userId: options.user } : {}),
  };
  const token = (await client.request('POST', '/api/v1/auth/tokens', body)).body as { token: string; id: string; role: string };
  output(json, token, () =>
    [
      `Token ${token.id} (${token.role} in workspace ${client.workspace}). It is shown only now:`,
      '',
      `  ${token.token}`,
      '',
      'Send it as "Authorization: Bearer <token>", or pass it to the CLI with --token / VIGIL_TOKEN.',
    ].join('\n'),
  );
}

/** Lists tokens (secrets are never shown). */
export async function listTokens(client: Client, all: boolean, json: boolean): Promise<void> {
  const query = all ? `?all=true&workspace=${encodeURIComponent(client.workspace)}` : '';
  const page = (await client.request('GET', `/api/v1/auth/tokens${query}`)).body as {
    items: {
      id: string;
      name: string;
      role: string;
      workspaceId: string;
      expiresAt: string | null;
      revokedAt: string | null;
      lastUsedAt: string | null;
    }[];
  };
  output(json, page, () =>
    page.items.length === 0
      ? 'No tokens.'
      : table(page.items, [
          { heading: 'Id', value: (t) => t.id },
          { heading: 'Name', value: (t) => t.name },
          { heading: 'Workspace', value: (t) => t.workspaceId },
          { heading: 'Role', value: (t) => t.role },
          { heading: 'Expires', value: (t) => shortTime(t.expiresAt) },
          { heading: 'Last used', value: (t) => shortTime(t.lastUsedAt) },
          { heading: 'Revoked', value: (t) => shortTime(t.revokedAt) },
        ]),
  );
}

/** Revokes a token. */
export async function revokeToken(client: Client, id: string, json: boolean): Promise<void> {
  const token = (await client.request('DELETE', `/api/v1/auth/tokens/${encodeURIComponent(id)}`)).body;
  output(json, token, () => `Token ${id} revoked.`);
}

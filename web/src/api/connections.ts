import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { connectionSchema } from '../../../src/connections/connection-schemas.js';
import { api, wsPath } from './client.js';

/** A connection as the API returns it: settings, the names of the secrets that are set (never their values), status. */
export type Connection = z.output<typeof connectionSchema>;

/** What creating or changing a connection sends; a secret set to null is removed, one left out is kept. */
export interface ConnectionInput {
  name?: string;
  connector?: string;
  description?: string;
  settings?: Record<string, unknown>;
  secrets?: Record<string, string | null>;
}

/** Query keys: every connection query of a workspace under `['connections', ws]`. */
export const connectionKeys = {
  all: (workspace: string) => ['connections', workspace] as const,
  list: (workspace: string) => ['connections', workspace, 'list'] as const,
};

const path = (workspace: string, connection: string, rest = '') =>
  wsPath(workspace, `/connections/${encodeURIComponent(connection)}${rest}`);

/** The workspace's connections. */
export function useConnections(workspace: string) {
  return useQuery({
    queryKey: connectionKeys.list(workspace),
    queryFn: ({ signal }) => api.get<{ items: Connection[] }>(wsPath(workspace, '/connections'), { signal }),
  });
}

function useConnectionChange<T, R>(workspace: string, mutationFn: (input: T) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn, onSettled: () => client.invalidateQueries({ queryKey: connectionKeys.all(workspace) }) });
}

/** Creates a connection (secrets are encrypted at rest and never returned). */
export function useCreateConnection(workspace: string) {
  return useConnectionChange(workspace, (input: ConnectionInput) =>
    api.post<Connection>(wsPath(workspace, '/connections'), input),
  );
}

/** Changes a connection, sending its etag (a concurrent change answers 412). */
export function useUpdateConnection(workspace: string) {
  return useConnectionChange(workspace, ({ connection, changes }: { connection: Connection; changes: ConnectionInput }) =>
    api.patch<Connection>(path(workspace, connection.id), changes, { ifMatch: connection.etag }),
  );
}

/** Deletes a connection (refused while an enabled playbook uses it). */
export function useDeleteConnection(workspace: string) {
  return useConnectionChange(workspace, (connection: Connection) => api.delete<void>(path(workspace, connection.id)));
}

/** Tests a connection against its service; the answer carries the new status and message. */
export function useTestConnection(workspace: string) {
  return useConnectionChange(workspace, (connection: Connection) =>
    api.post<Connection>(path(workspace, connection.id, '/test')),
  );
}

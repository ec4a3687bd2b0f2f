import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';

/** A JSON Schema as the action catalog describes inputs, outputs, settings and secrets. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
}

/** One action a playbook step can `uses:`. */
export interface CatalogAction {
  id: string;
  title: string;
  description: string;
  effect: string;
  input: JsonSchema;
  output: JsonSchema;
}

/** A connector: whether it needs a connection, its settings and secret fields, and its actions. */
export interface CatalogConnector {
  id: string;
  title: string;
  description: string;
  connection: 'none' | 'optional' | 'required';
  settings: JsonSchema;
  secrets: JsonSchema;
  actions: CatalogAction[];
}

/** Query key of the action catalog (the same for every workspace). */
export const actionKeys = { catalog: ['actions'] as const };

/** Every connector and action playbooks can use (GET /api/v1/actions); it changes only with the server. */
export function useActionCatalog() {
  return useQuery({
    queryKey: actionKeys.catalog,
    queryFn: ({ signal }) => api.get<{ connectors: CatalogConnector[] }>('/api/v1/actions', { signal }),
    staleTime: Infinity,
  });
}

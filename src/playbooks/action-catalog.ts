import { z } from 'zod';
import type { ActionDefinition, ConnectorDefinition } from '../connectors/action.js';
import type { BuiltinActionDefinition } from './builtin/builtin-action.js';

/** Every action a playbook can use, and the connectors they belong to. */
export interface ActionCatalog {
  action(id: string): ActionDefinition | undefined;
  connector(id: string): ConnectorDefinition | undefined;
  connectors(): ConnectorDefinition[];
}

const BUILTIN_TITLES: Record<string, { title: string; description: string }> = {
  incident: {
    title: 'Incidents',
    description: "Vigil's incidents: read them, change them, comment, tasks, entities and alerts.",
  },
  alert: { title: 'Alerts', description: "Vigil's alerts." },
};

/** Groups built-in actions into connectors by their id prefix (`incident.`, `alert.`): no connection needed. */
function builtinConnectors(actions: BuiltinActionDefinition[]): ConnectorDefinition[] {
  const byPrefix = new Map<string, BuiltinActionDefinition[]>();
  for (const action of actions) {
    const prefix = action.id.split('.')[0]!;
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), action]);
  }
  return [...byPrefix].map(([id, list]) => ({
    id,
    title: BUILTIN_TITLES[id]?.title ?? id,
    description: BUILTIN_TITLES[id]?.description ?? '',
    connection: 'none',
    settings: z.object({}),
    secrets: z.object({}),
    actions: list,
  }));
}

/** Builds the catalog from the built-in actions and the external connectors. */
export function createActionCatalog(builtins: BuiltinActionDefinition[], connectors: ConnectorDefinition[]): ActionCatalog {
  const all = [...builtinConnectors(builtins), ...connectors];
  const actions = new Map<string, ActionDefinition>();
  for (const connector of all) for (const action of connector.actions) actions.set(action.id, action);
  const byId = new Map(all.map((c) => [c.id, c]));
  return {
    action: (id) => actions.get(id),
    connector: (id) => byId.get(id),
    connectors: () => all,
  };
}

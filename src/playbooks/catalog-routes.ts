import { z } from 'zod';
import { errorResponses } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import type { ActionCatalog } from './action-catalog.js';

/** A zod schema as JSON Schema (what the input accepts), for the reference. */
function jsonSchema(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    return {};
  }
}

/** The action reference: every connector, its connection settings and secrets, and its actions' input and output. */
export function describeCatalog(catalog: ActionCatalog) {
  return catalog.connectors().map((c) => ({
    id: c.id,
    title: c.title,
    description: c.description,
    connection: c.connection,
    settings: jsonSchema(c.settings),
    secrets: jsonSchema(c.secrets),
    actions: c.actions.map((a) => ({
      id: a.id,
      title: a.title,
      description: a.description,
      effect: a.effect,
      input: jsonSchema(a.input),
      output: jsonSchema(a.output),
    })),
  }));
}

/** GET /api/v1/actions: what playbook steps can `uses:` (the generated reference in docs/actions.md comes from the same data). */
export function registerCatalogRoutes(server: VigilServer, catalog: ActionCatalog): void {
  // Described on first request, not at start-up (converting every schema takes a few tens of ms).
  let described: ReturnType<typeof describeCatalog> | undefined;
  server.get('/api/v1/actions', {
    config: { permission: 'authenticated' },
    schema: {
      tags: ['Playbooks'],
      summary: 'Every action playbooks can use, by connector, with input and output schemas',
      response: { 200: z.object({ connectors: z.array(z.record(z.string(), z.unknown())) }), ...errorResponses },
    },
    handler: async () => ({ connectors: (described ??= describeCatalog(catalog)) }),
  });
}

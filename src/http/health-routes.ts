import { sql } from 'kysely';
import { z } from 'zod';
import type { Storage } from '../storage/database.js';
import type { VigilServer } from './types.js';

/** Liveness and readiness probes. */
export function registerHealthRoutes(server: VigilServer, storage: Storage, state: { shuttingDown: boolean }): void {
  server.get('/healthz', {
    config: { permission: 'public' },
    schema: {
      tags: ['Health'],
      summary: 'Liveness: the process is up',
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  server.get('/readyz', {
    config: { permission: 'public' },
    schema: {
      tags: ['Health'],
      summary: 'Readiness: the database answers and the server is not shutting down',
      response: {
        200: z.object({ status: z.literal('ready'), database: z.string() }),
        503: z.object({ status: z.literal('unavailable'), reason: z.string() }),
      },
    },
    handler: async (_request, reply) => {
      if (state.shuttingDown) return reply.status(503).send({ status: 'unavailable', reason: 'shutting down' });
      try {
        await sql`select 1`.execute(storage.db);
        return { status: 'ready' as const, database: storage.dialect.name };
      } catch {
        return reply.status(503).send({ status: 'unavailable', reason: 'database not reachable' });
      }
    },
  });
}

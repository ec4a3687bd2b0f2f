import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AuthService } from '../auth/index.js';
import { errorResponses } from '../http/schemas.js';
import type { VigilServer } from '../http/types.js';
import type { LiveFeed } from './live-feed.js';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/v1/live`: a server-sent event stream of incident changes in every workspace the
 * caller may read (`event: incidents`, data: a JSON array of LiveEvent). The web UI refreshes its
 * queue and open incident from it. Streams end when the server shuts down; browsers reconnect.
 */
export function registerLiveRoutes(server: VigilServer, feed: LiveFeed, auth: AuthService): void {
  const open = new Set<ServerResponse>();
  server.addHook('preClose', async () => {
    for (const response of open) response.end();
    open.clear();
    feed.close();
  });

  server.get('/api/v1/live', {
    config: { permission: 'authenticated' },
    schema: {
      tags: ['Live'],
      summary:
        'Server-sent events: `incidents` events (JSON arrays of { workspace, incidentId, action, kind, at }) for the workspaces you may read',
      response: { 200: z.string().describe('text/event-stream'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const workspaces = (await auth.workspacesWith(request.principal!, 'incidents.read')).map((w) => w.id);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        'x-accel-buffering': 'no',
      });
      open.add(response);
      let closed = false;
      let unsubscribe = () => {};
      const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      request.raw.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(response);
      });
      // Subscribed before "ready": the browser refreshes on it, and hears of every later commit.
      const stop = await feed.subscribe(workspaces, (events) => {
        response.write(`event: incidents\ndata: ${JSON.stringify(events)}\n\n`);
      });
      if (closed) {
        stop();
        return;
      }
      unsubscribe = stop;
      response.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ workspaces })}\n\n`);
    },
  });
}

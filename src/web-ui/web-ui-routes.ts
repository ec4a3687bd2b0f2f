import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { VigilServer } from '../http/types.js';
import { projectRoot } from '../app/version.js';

/** Where `vite build` puts the web UI (see web/vite.config.ts). */
export const WEB_BUILD_DIR = path.join(projectRoot(), 'dist', 'web');

/** Paths the single-page app never owns: the API, health checks, docs and approval links. */
const SERVER_PATHS = /^\/(api|healthz|readyz|approve)(\/|$|\?)/;

/** The page may load only its own scripts and styles; images in comments may come from https. */
const PAGE_POLICY =
  "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

const MISSING_BUILD = `<!doctype html><meta charset="utf-8"><title>Vigil</title>
<p>The web UI has not been built. Run <code>npm run build</code> (npm start does it) and reload.</p>`;

/**
 * Serves the web UI built into dist/web: hashed assets with a year's caching, and index.html
 * (never cached) for every other GET that is not an API or server path, so the app's own
 * routes (/incidents/42 …) survive a reload. Without a build, those paths explain how to make one.
 */
export async function registerWebUi(server: VigilServer, buildDir: string = WEB_BUILD_DIR): Promise<void> {
  const built = fs.existsSync(path.join(buildDir, 'index.html'));
  if (built) {
    await server.register(fastifyStatic, {
      root: buildDir,
      wildcard: false,
      index: false,
      setHeaders: (response, filePath) => {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        response.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  server.route({
    method: 'GET',
    url: '/*',
    config: { permission: 'public' },
    schema: { hide: true },
    handler: (request, reply) => {
      if (SERVER_PATHS.test(request.url)) {
        return reply
          .status(404)
          .send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
      }
      if (!built) return reply.status(503).type('text/html; charset=utf-8').send(MISSING_BUILD);
      return reply.header('cache-control', 'no-cache').header('content-security-policy', PAGE_POLICY).sendFile('index.html');
    },
  });
}

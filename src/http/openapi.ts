import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { VigilServer } from './types.js';

/**
 * The OpenAPI 3.1 document, generated from the route schemas, at /api/openapi.json, and a
 * browsable reference at /api/docs. Register before the routes.
 */
export async function registerOpenApi(server: VigilServer, version: string): Promise<void> {
  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version,
        description:
          'Incidents, alerts, tasks, automation rules and playbooks. Authenticate with `Authorization: Bearer <token>` (create tokens with POST /api/v1/auth/tokens or `vigil tokens create`) or a session cookie from POST /api/v1/auth/login.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The reference page's files are named by the package's location, not the plugin's own folder:
  // the plugin's code is bundled into dist/server (scripts/bundle-server.mjs), its files are not.
  const staticDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json')), 'static');
  await server.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    baseDir: staticDir,
    logo: { type: 'image/svg+xml', content: fs.readFileSync(path.join(staticDir, 'logo.svg')) },
  });
  server.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => server.swagger());
}

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
  await server.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  server.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => server.swagger());
}

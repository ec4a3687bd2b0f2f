import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from '../logging/logger.js';
import { installErrorHandler } from './error-handler.js';
import type { VigilServer } from './types.js';
import { jsonSerializerCompiler, zodValidatorCompiler } from './validation.js';

/** A registered route and the permission it declares (for the audit that every route declares one). */
export interface RouteInfo {
  method: string;
  url: string;
  permission: string | undefined;
  allowAdmin: boolean;
  /** The URL holds a credential (webhook, approval link): logs show the route pattern only. */
  secretUrl: boolean;
}

/**
 * Creates the Fastify server with our validation, error handling and one log line per request.
 * While `state.shuttingDown`, responses ask clients to close their connection, so that a graceful
 * shutdown does not wait for kept-alive connections to time out.
 */
export function createHttpServer(logger: Logger, state: { shuttingDown: boolean }, routes: RouteInfo[] = []): VigilServer {
  const server = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>() as unknown as VigilServer;

  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({
        method,
        url: route.url,
        permission: route.config?.permission,
        allowAdmin: route.config?.allowAdmin ?? false,
        secretUrl: route.config?.secretUrl ?? false,
      });
    }
  });
  // JSON only: a text/plain body is refused (415) rather than validated as a string.
  server.removeContentTypeParser('text/plain');
  // HTML forms (the approval confirmation page) post url-encoded fields, to the routes that say so.
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (request, body, done) => {
      if (!request.routeOptions.config?.formBody) {
        done(Object.assign(new Error('JSON only'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), undefined);
        return;
      }
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  server.setValidatorCompiler(zodValidatorCompiler);
  server.setSerializerCompiler(jsonSerializerCompiler);
  installErrorHandler(server);

  server.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.routeOptions.config?.secretUrl ? request.routeOptions.url : request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
  server.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    if (state.shuttingDown) reply.header('connection', 'close');
  });
  return server;
}

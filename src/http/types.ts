import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Access, RoutePermission } from '../auth/permissions.js';

/** The Fastify instance routes register on, typed by our zod schemas. */
export type VigilServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller needs to call this route; checked in one place (auth/access-hook.ts). */
    permission?: RoutePermission;
    /** Server administrators may call this workspace route without a role in the workspace. */
    allowAdmin?: boolean;
    /** This change is allowed in an archived workspace (un-archiving it). */
    allowArchived?: boolean;
    /** Callable while the caller must still replace a one-time password. */
    beforePasswordChange?: boolean;
    /** The URL carries a secret (webhook and approval link tokens): logs show the route pattern instead. */
    secretUrl?: boolean;
    /** Accepts an HTML form body (application/x-www-form-urlencoded); every other route takes JSON only. */
    formBody?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling, and in which workspace with which roles; set before the handler runs. */
    access: Access;
  }
}

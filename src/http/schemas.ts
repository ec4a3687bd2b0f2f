import { z } from 'zod';

/** The error body every 4xx/5xx response carries. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** Standard error responses, for the OpenAPI document. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
};

/** A page of a list: `{ items, nextCursor }`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const workspaceParams = z.object({
  workspace: z.string().min(1).max(64).describe('Workspace id, e.g. `default`'),
});

export const paginationQuery = {
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(500, 'must be at most 500').default(50),
  cursor: z.string().max(500).optional(),
};

/** An etag value as sent in If-Match (quotes and W/ prefix tolerated). */
export function normalizeEtag(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (trimmed === '*') return undefined;
  return trimmed.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** The etag header value for a resource version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

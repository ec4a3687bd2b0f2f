import { ApiError, type ApiErrorDetail } from '../api/client.js';

/** What to say about a failed request, in words, with the problems by field when the API names them. */
export interface ErrorText {
  title: string;
  details: ApiErrorDetail[];
}

/** Turns any thrown value into words for the person (a 412 says someone else changed the item). */
export function describeError(error: unknown, what = 'item'): ErrorText {
  if (error instanceof ApiError) {
    if (error.status === 412) {
      return { title: `This ${what} was changed by someone else — reload to see their change.`, details: [] };
    }
    if (error.status === 0) return { title: error.message, details: [] };
    if (error.status === 403) return { title: `Not allowed: ${error.message}`, details: [] };
    if (error.status >= 500) return { title: `The server failed (${error.status}): ${error.message}`, details: [] };
    return { title: error.message, details: error.details };
  }
  return { title: error instanceof Error ? error.message : String(error), details: [] };
}

/** The message the API gave for one field (matching its path exactly or as a prefix), if any. */
export function fieldError(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const detail = error.details.find((d) => d.path === path || d.path?.startsWith(`${path}.`) || d.path?.startsWith(`${path}[`));
  return detail?.message;
}

/** One problem with a request, as the API reports it: the field path and what is wrong. */
export interface ApiErrorDetail {
  path?: string;
  message: string;
  /** The source line, for problems in a YAML or JSON document (playbook definitions). */
  line?: number;
}

/** An error answer from the API (`{ error: { code, message, details } }`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Request options: an If-Match etag for concurrent-edit detection, a query string, an abort signal. */
export interface RequestOptions {
  ifMatch?: string;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

/** A query-string value: lists repeat the parameter; empty values are left out. */
export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every change (from sign-in or GET /auth/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Builds `path?query`, repeating list parameters and leaving out empty ones. */
export function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function detailsOf(value: unknown): ApiErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((d): d is { path?: unknown; message?: unknown; line?: unknown } => typeof d === 'object' && d !== null)
    .map((d) => ({
      path: typeof d.path === 'string' ? d.path : undefined,
      message: String(d.message ?? ''),
      line: typeof d.line === 'number' ? d.line : undefined,
    }));
}

/** Listeners told when the API says the session is gone (401), so the app can show sign-in. */
const unauthorizedListeners = new Set<() => void>();

/** Calls `listener` whenever a request comes back 401; returns the unsubscribe function. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Calls the API; resolves with the JSON body (undefined for 204) or rejects with an ApiError. */
export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Vigil could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (response.status === 401 && !path.endsWith('/auth/login')) for (const listener of unauthorizedListeners) listener();
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The server answered ${response.status} ${response.statusText}`,
      detailsOf(error?.details),
    );
  }
  return parsed as T;
}

/** Shorthands for the API's methods. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body ?? {}, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body ?? {}, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

/** `/api/v1/workspaces/{ws}` + path, with the workspace id encoded. */
export function wsPath(workspace: string, path = ''): string {
  return `/api/v1/workspaces/${encodeURIComponent(workspace)}${path}`;
}

/** A page of a cursor-paginated list, as every list endpoint returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

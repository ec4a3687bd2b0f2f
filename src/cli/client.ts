import { randomBytes } from 'node:crypto';
import type { App } from '../app/app.js';
import { createApp } from '../app/app.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';

/** Where the CLI sends its requests: a remote server, or the local database in-process. */
export interface ClientOptions {
  url?: string;
  token?: string;
  workspace: string;
  /** Local database only: also execute playbook runs in this process (e.g. to wait for a run's result). */
  worker?: boolean;
}

/** A response as the CLI sees it. */
export interface ClientResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** Thrown for an error response; the message is the API's. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body as { error?: { message?: string; details?: { path: string; message: string }[] } })?.error;
    const details =
      Array.isArray(error?.details) && error.details.length > 1
        ? `\n${error.details.map((d) => `  ${d.path}: ${d.message}`).join('\n')}`
        : '';
    super(`${error?.message ?? `HTTP ${status}`}${details}`);
  }
}

/** Sends API requests; the same calls work against a server (--url) or the local database. */
export interface Client {
  workspace: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ClientResponse>;
  /** GETs a file (e.g. a PDF export) as bytes; an error response throws ApiError like request(). */
  download(path: string): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Connects to the server at `url` with `token`, or — with no URL — opens the local database
 * (DATA_DIR / DATABASE_URL, as `vigil serve` would) and calls the same routes in-process as the
 * server's administrator.
 */
export async function connect(options: ClientOptions): Promise<Client> {
  if (options.url) return remoteClient(options.url, options.token, options.workspace);
  const secret = randomBytes(32).toString('base64url');
  const config = loadConfig(process.env);
  const app = await createApp(config, { logger: createLogger('error'), localSecret: secret, worker: options.worker });
  return localClient(app, secret, options.workspace);
}

async function check(response: ClientResponse): Promise<ClientResponse> {
  if (response.status >= 400) throw new ApiError(response.status, response.body);
  return response;
}

function remoteClient(url: string, token: string | undefined, workspace: string): Client {
  const base = url.replace(/\/+$/, '');
  return {
    workspace,
    async request(method, path, body, headers = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return check({
        status: response.status,
        body: text ? safeJson(text) : null,
        headers: Object.fromEntries(response.headers.entries()),
      });
    },
    async download(path) {
      const response = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const content = Buffer.from(await response.arrayBuffer());
      if (response.status >= 400) throw new ApiError(response.status, safeJson(content.toString('utf8')));
      return content;
    },
    async close() {},
  };
}

function localClient(app: App, secret: string, workspace: string): Client {
  return {
    workspace,
    async request(method, path, body, headers = {}) {
      const response = await app.server.inject({
        method: method as 'GET',
        url: path,
        headers: {
          authorization: `Local ${secret}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
      return check({
        status: response.statusCode,
        body: response.body ? safeJson(response.body) : null,
        headers: response.headers as ClientResponse['headers'],
      });
    },
    async download(path) {
      const response = await app.server.inject({ method: 'GET', url: path, headers: { authorization: `Local ${secret}` } });
      if (response.statusCode >= 400) throw new ApiError(response.statusCode, safeJson(response.body));
      return response.rawPayload;
    },
    close: () => app.close(),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

import { describe } from 'vitest';
import { createApp, type App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createTestDatabase, testDialects, type DialectName, type TestDatabase } from './databases.js';

export const ADMIN_EMAIL = 'admin@example.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** A response from the test app. */
export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/** Request options: which credentials, extra headers, raw payload. */
export interface RequestOptions {
  token?: string | null;
  headers?: Record<string, string>;
  raw?: string;
}

/** The real app on a fresh database, with an Owner token for the default workspace. */
export interface TestApp {
  app: App;
  dialect: DialectName;
  database: TestDatabase;
  token: string;
  adminId: string;
  request<T = any>(method: string, url: string, body?: unknown, options?: RequestOptions): Promise<TestResponse<T>>;
  get<T = any>(url: string, options?: RequestOptions): Promise<TestResponse<T>>;
  post<T = any>(url: string, body?: unknown, options?: RequestOptions): Promise<TestResponse<T>>;
  patch<T = any>(url: string, body?: unknown, options?: RequestOptions): Promise<TestResponse<T>>;
  delete<T = any>(url: string, options?: RequestOptions): Promise<TestResponse<T>>;
  /** Path under the default workspace: ws('/incidents') → /api/v1/workspaces/default/incidents */
  ws(path: string, workspace?: string): string;
  close(): Promise<void>;
}

/** How a test app differs from the default: clock, playbook workers in process, extra settings (e.g. SMTP_URL). */
export interface TestAppOptions {
  now?: () => number;
  /** Execute playbook runs in the app's own worker pool (off by default: runs stay queued). */
  worker?: boolean;
  /** Dispatch events and send webhooks and notification emails (off by default). */
  deliveries?: boolean;
  env?: Record<string, string>;
}

/** Starts the real app (routes, services, migrations) on a fresh database of the dialect. */
export async function startTestApp(dialect: DialectName, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const started = await startTestAppOn(database, options);
  return {
    ...started,
    close: async () => {
      await started.close();
      await database.drop();
    },
  };
}

/**
 * Starts the real app on a database that already exists, e.g. one a closed app left (to test
 * what survives a restart). Its close() leaves the database; the caller drops it.
 */
export async function startTestAppOn(database: TestDatabase, options: TestAppOptions = {}): Promise<TestApp> {
  const dialect = database.dialect;
  const config = loadConfig({
    DATABASE_URL: database.target.kind === 'postgres' ? database.target.url : undefined,
    DATA_DIR: database.target.kind === 'sqlite' ? database.target.file.replace(/\/vigil\.db$/, '') : undefined,
    VIGIL_ADMIN_EMAIL: ADMIN_EMAIL,
    VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PUBLIC_URL: 'http://vigil.test',
    VIGIL_SECRET_KEY: '0123456789abcdef'.repeat(4),
    ...options.env,
  });
  const app = await createApp(config, {
    logger: createLogger('silent'),
    now: options.now,
    worker: options.worker,
    deliveries: options.deliveries ?? false,
  });
  const login = await app.services.auth.login(ADMIN_EMAIL, ADMIN_PASSWORD, { ip: '127.0.0.1' });
  const { token } = await app.services.auth.createToken(
    { user: login.user, via: 'session' },
    { name: 'tests', workspaceId: 'default', role: 'Owner' },
  );

  const request = async (method: string, url: string, body?: unknown, opts: RequestOptions = {}): Promise<TestResponse> => {
    const credentials = opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? token}` };
    const hasBody = body !== undefined || opts.raw !== undefined;
    const response = await app.server.inject({
      method: method as 'GET',
      url,
      headers: { ...credentials, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      payload: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    let parsed: unknown = response.body;
    if (response.headers['content-type']?.toString().includes('json') && response.body) parsed = JSON.parse(response.body);
    return { status: response.statusCode, body: parsed, headers: response.headers };
  };

  return {
    app,
    dialect,
    database,
    token,
    adminId: login.user.id,
    request,
    get: (url, o) => request('GET', url, undefined, o),
    post: (url, body, o) => request('POST', url, body, o),
    patch: (url, body, o) => request('PATCH', url, body, o),
    delete: (url, o) => request('DELETE', url, undefined, o),
    ws: (path, workspace = 'default') => `/api/v1/workspaces/${workspace}${path}`,
    close: () => app.close(),
  };
}

/** Runs a suite once per tested dialect (SQLite, and PostgreSQL when TEST_DATABASE_URL is set). */
export function describeEachDialect(name: string, suite: (dialect: DialectName) => void): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => suite(dialect));
  }
}

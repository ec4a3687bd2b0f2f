import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAccessHook } from '../../src/auth/access-hook.js';
import { PERMISSIONS } from '../../src/auth/permissions.js';
import { createLogger } from '../../src/logging/logger.js';
import { createHttpServer, type RouteInfo } from '../../src/http/server.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const SPECIAL = ['admin', 'authenticated', 'public'] as const;
const KNOWN = new Set<string>([...PERMISSIONS, ...SPECIAL]);

/** A placeholder for each path parameter; the workspace is a real one so a 404 cannot hide a missing 401. */
const fill = (url: string) =>
  url.replace(/:(\w+)/g, (_, name: string) => (name === 'workspace' ? 'default' : `placeholder-${name}`));
const label = (r: RouteInfo) => `${r.method} ${r.url}`;

describeEachDialect('route permissions audit', (dialect) => {
  let t: TestApp;
  let api: RouteInfo[];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    api = t.app.routes.filter((r) => r.url.startsWith('/api/v1'));
  });
  afterAll(() => t.close());

  describe('every /api/v1 route declares a known permission', () => {
    it('the server reports its routes, including the main modules', () => {
      const urls = new Set(api.map(label));
      for (const expected of [
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/tokens',
        'GET /api/v1/workspaces/:workspace/incidents',
        'PATCH /api/v1/workspaces/:workspace/incidents/:incident',
        'POST /api/v1/workspaces/:workspace/alerts',
        'POST /api/v1/workspaces/:workspace/analytics-rules',
        'PUT /api/v1/workspaces/:workspace/members',
        'GET /api/v1/users',
        'POST /api/v1/workspaces/:workspace/incidents/:incident/exports',
        'GET /api/v1/workspaces/:workspace/incidents/:incident/exports/:export/file',
        'POST /api/v1/workspaces/:workspace/notification-rules',
        'GET /api/v1/workspaces/:workspace/notification-rules/:rule/deliveries',
      ]) {
        expect(urls, expected).toContain(expected);
      }
      expect(api.length).toBeGreaterThan(40);
    });

    it('no /api/v1 route lacks a permission', () => {
      expect(api.filter((r) => !r.permission).map(label)).toEqual([]);
    });

    it('each permission is a known workspace permission or admin | authenticated | public', () => {
      expect(api.filter((r) => !KNOWN.has(r.permission!)).map((r) => `${label(r)} → ${r.permission}`)).toEqual([]);
    });

    it('workspace permissions only on routes with a :workspace parameter', () => {
      const wrong = api.filter(
        (r) => (PERMISSIONS as readonly string[]).includes(r.permission!) && !r.url.includes('/:workspace'),
      );
      expect(wrong.map(label)).toEqual([]);
      // And the other way round: a workspace route needs a workspace permission, or is for administrators.
      const loose = api.filter((r) => r.url.includes('/:workspace') && ['authenticated', 'public'].includes(r.permission!));
      expect(loose.map(label)).toEqual([]);
    });

    it('allowAdmin only on workspace routes, and only for reading or managing the workspace itself', () => {
      const admin = api.filter((r) => r.allowAdmin);
      expect(admin.length).toBeGreaterThan(0);
      for (const r of admin) {
        expect(r.url, label(r)).toMatch(/^\/api\/v1\/workspaces\/:workspace(\/members(\/.*)?)?$/);
        expect(['workspace.read', 'workspace.manage'], label(r)).toContain(r.permission);
      }
    });

    it('the public /api/v1 routes are sign-in and the secret-URL webhook, whose token is the credential', () => {
      expect(
        api
          .filter((r) => r.permission === 'public')
          .map(label)
          .sort(),
      ).toEqual(['POST /api/v1/auth/login', 'POST /api/v1/hooks/:token']);
      const hook = api.find((r) => r.url === '/api/v1/hooks/:token')!;
      expect(hook.secretUrl, 'the token in the URL is never logged').toBe(true);
    });

    it('routes outside /api/v1 that declare a permission are public health, documentation and web UI page routes only', () => {
      const outside = t.app.routes.filter((r) => !r.url.startsWith('/api/v1') && r.permission !== undefined);
      for (const r of outside) {
        expect(r.permission, label(r)).toBe('public');
        expect(r.url, label(r)).toMatch(/^\/(healthz|readyz|api\/openapi\.json|api\/docs|approve\/:token|\*$)/);
      }
      // The one-click approval page: its single-use token is the credential, and never logged.
      for (const r of outside.filter((o) => o.url.startsWith('/approve/'))) expect(r.secretUrl, label(r)).toBe(true);
      // Nothing outside /api/v1 and the docs is undeclared (an undeclared route there would be public).
      const undeclared = t.app.routes.filter((r) => !r.url.startsWith('/api/v1') && r.permission === undefined);
      // …but the web UI's built files (dist/web: index.html and hashed assets), which are public by nature.
      const webFile = (url: string) => url === '/index.html' || url.startsWith('/assets/');
      expect(undeclared.filter((r) => !r.url.startsWith('/api/docs') && !webFile(r.url)).map(label)).toEqual([]);
    });
  });

  describe('without credentials', () => {
    it('every non-public /api/v1 route answers 401, on every method', async () => {
      const failures: string[] = [];
      const checked: string[] = [];
      for (const route of api.filter((r) => r.permission !== 'public')) {
        const url = fill(route.url);
        const body = ['GET', 'HEAD', 'DELETE'].includes(route.method) ? undefined : {};
        const res = await t.request(route.method, url, body, { token: null });
        checked.push(label(route));
        if (res.status !== 401) failures.push(`${route.method} ${url} → ${res.status}`);
        else if (route.method !== 'HEAD' && res.body?.error?.code !== 'unauthorized')
          failures.push(`${route.method} ${url}: code`);
      }
      expect(failures).toEqual([]);
      expect(checked.filter((c) => c.startsWith('GET /api/v1/workspaces/:workspace')).length).toBeGreaterThan(10);
    });

    it('every GET workspace route answers 401 with an invalid token, the same for an existing and a missing workspace', async () => {
      for (const route of api.filter((r) => r.method === 'GET' && r.url.includes('/:workspace'))) {
        const existing = await t.get(fill(route.url), { token: 'vgl_not-a-real-token' });
        const missing = await t.get(fill(route.url).replace('/workspaces/default', '/workspaces/no-such-ws'), { token: null });
        expect(existing.status, label(route)).toBe(401);
        expect(missing.status, label(route)).toBe(401);
      }
    });

    it('the public routes answer without credentials', async () => {
      const login = await t.post('/api/v1/auth/login', { email: 'nobody@example.test', password: 'x' }, { token: null });
      expect(login.status).toBe(401);
      expect(login.body.error.message).toMatch(/email or password/);
      expect((await t.get('/healthz', { token: null })).status).toBe(200);
    });
  });

  describe('the access hook fails closed', () => {
    it('refuses an API route that declares no permission, or an unknown one, or a workspace permission without :workspace', async () => {
      const server = createHttpServer(createLogger('silent'), { shuttingDown: false });
      installAccessHook(server, t.app.services.auth);
      const ok = async () => ({ reached: true });
      server.get('/api/v1/workspaces/:workspace/undeclared', ok);
      server.get('/api/v1/workspaces/:workspace/unknown', { config: { permission: 'incidents.delete' as never } }, ok);
      server.get('/api/v1/no-workspace', { config: { permission: 'incidents.read' } }, ok);
      server.get('/api/v1/workspaces/:workspace/declared', { config: { permission: 'incidents.read' } }, ok);
      await server.ready();
      try {
        const call = async (url: string) => {
          const res = await server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.token}` } });
          return { status: res.statusCode, body: res.json() };
        };
        for (const url of [
          '/api/v1/workspaces/default/undeclared',
          '/api/v1/workspaces/default/unknown',
          '/api/v1/no-workspace',
        ]) {
          const res = await call(url);
          expect(res.status, url).toBe(403);
          expect(res.body.reached, url).toBeUndefined();
        }
        // The same caller passes a properly declared route: the refusals are about the declarations.
        expect(await call('/api/v1/workspaces/default/declared')).toEqual({ status: 200, body: { reached: true } });
        // Undeclared, and no credentials at all: still not reached.
        const anonymous = await server.inject({ method: 'GET', url: '/api/v1/workspaces/default/undeclared' });
        expect(anonymous.statusCode).toBeGreaterThanOrEqual(401);
        expect(anonymous.json().reached).toBeUndefined();
      } finally {
        await server.close();
      }
    });
  });
});

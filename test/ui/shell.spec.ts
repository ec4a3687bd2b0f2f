import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import type { VigilServer } from '../../src/http/types.js';
import { registerWebUi } from '../../src/web-ui/index.js';
import { screenshot, signIn, startUiHarness, type UiHarness } from '../support/browser.js';

describe('web UI shell', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUiHarness();
  });
  afterAll(async () => ui?.close());

  it('sends a signed-out visitor to sign-in, then back to the page they asked for', async () => {
    const page = await ui.newPage();
    await page.goto('/w/default/automation');
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('Email').fill('admin@example.test');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/email or password/i);
    await signIn(page);
    await page.goto('/w/default/automation');
    expect(new URL(page.url()).pathname).toBe('/w/default/automation');
    await screenshot(page, 'shell');
  });

  it('serves the app for client-side paths (never cached), hashed assets (cached for good), and JSON 404s for unknown API paths', async () => {
    const page = await fetch(`${ui.baseUrl}/w/default/incidents/7`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${ui.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    const api = await fetch(`${ui.baseUrl}/api/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('web UI without a build', () => {
  it('explains how to build it instead of failing', async () => {
    const server = Fastify();
    await registerWebUi(server as unknown as VigilServer, '/nonexistent/vigil-web');
    const response = await server.inject({ method: 'GET', url: '/w/default/incidents' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
    expect((await server.inject({ method: 'GET', url: '/api/v1/nope' })).statusCode).toBe(404);
    await server.close();
  });
});

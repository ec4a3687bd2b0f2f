import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WEB_BUILD_DIR } from '../../src/web-ui/index.js';
import type { DialectName } from './databases.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The real server listening on 127.0.0.1 (serving the built web UI) and a browser pointed at it. */
export interface UiHarness {
  api: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A new page (1440×900) in a fresh browser context: no cookies, no storage. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the app on a fresh database, listening on a free loopback port, and launches headless
 * Chromium. The web UI must be built (`npm test` builds it first; alone: `npm run build:web`).
 */
export async function startUiHarness(dialect: DialectName = 'sqlite', options: TestAppOptions = {}): Promise<UiHarness> {
  if (!fs.existsSync(path.join(WEB_BUILD_DIR, 'index.html'))) {
    throw new Error(`The web UI is not built in ${WEB_BUILD_DIR}: run npm run build:web`);
  }
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const api = await startTestApp(dialect, options);
  await api.app.server.listen({ host: '127.0.0.1', port: 0 });
  const address = api.app.server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // Playwright gives each launch its own empty profile directory and removes it at close.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  return {
    api,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: `http://127.0.0.1:${port}` });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await api.close();
    },
  };
}

/** Signs in through the sign-in page as the test administrator (or another person) and waits for the queue. */
export async function signIn(page: Page, credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/**
 * Saves a screenshot of the page: into docs/screenshots/ when SCREENSHOTS=docs (to refresh the
 * README's pictures), else into the system's temporary folder (to look at after a failing run).
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir =
    process.env.SCREENSHOTS === 'docs'
      ? path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
      : path.join(os.tmpdir(), 'vigil-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

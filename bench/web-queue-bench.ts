import { chromium, type Page } from 'playwright-core';
import { openStorage } from '../src/storage/database.js';
import { createBenchDatabase } from './databases.js';
import { generateIncidents } from './queue-data.js';
import { benchEnv, createToken, startServer } from './server-process.js';
import { percentile, printTable, round } from './stats.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The same flags as the UI specs (test/support/browser.ts).
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
const WARMUP = 3;
const RUNS = 20;
const TABLE = 'table[aria-label="Incidents"]';

/**
 * The few browser globals the in-page functions use, typed here because the bench compiles
 * without the DOM's types. Page functions are sent as source text, so each casts globalThis itself.
 */
interface PageGlobals {
  document: {
    querySelector(selector: string): { dataset: Record<string, string | undefined> } | null;
    addEventListener(type: string, listener: () => void, capture: boolean): void;
  };
  performance: {
    now(): number;
    clearResourceTimings(): void;
    getEntriesByType(type: 'resource'): { name: string; responseEnd: number }[];
  };
  queueClickAt: number;
}

interface Sample {
  /** From the list response's last byte to React's commit of the rows (before style, layout, paint). */
  committed: number;
  /** From the list response's last byte to the first paint showing its rows. */
  afterData: number;
  /** From the click on "Next page" to the same paint (includes the API call). */
  afterClick: number;
}

/**
 * Opens the next page of the queue and measures it in the page's own clock (performance.now()).
 * Data arrived = the list request's `responseEnd` in the Resource Timing buffer (its last byte).
 * Rows painted = the table's `data-rendered-at`, which the queue writes from a task queued in a
 * requestAnimationFrame callback of the layout effect that follows the commit of the new rows:
 * the frame is painted before that task runs (web/src/queue/IncidentTable.tsx, useRenderedMark).
 * The difference covers reading and parsing the JSON, the query cache update, React's render and
 * commit, style, layout and paint of the 50 rows.
 */
async function nextPage(page: Page): Promise<Sample> {
  const before = await page.locator(TABLE).getAttribute('data-rendered-first');
  await page.evaluate(() => (globalThis as unknown as PageGlobals).performance.clearResourceTimings());
  await page.getByRole('button', { name: 'Next page →' }).click();
  await page.waitForFunction(
    ([selector, previous]) => {
      const table = (globalThis as unknown as PageGlobals).document.querySelector(selector!);
      return Boolean(table?.dataset.renderedAt && table.dataset.renderedFirst !== previous);
    },
    [TABLE, before] as const,
  );
  return page.evaluate((selector) => {
    const { document, performance, queueClickAt } = globalThis as unknown as PageGlobals;
    const { dataset } = document.querySelector(selector)!;
    const renderedAt = Number(dataset.renderedAt);
    const list = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/incidents?'))
      .at(-1);
    if (!list) throw new Error('no list request was timed');
    return {
      committed: Number(dataset.committedAt) - list.responseEnd,
      afterData: renderedAt - list.responseEnd,
      afterClick: renderedAt - queueClickAt,
    };
  }, TABLE);
}

/**
 * Web UI: how long the incident queue takes to show a page of 50 rows once its data has arrived
 * (target < 100 ms), over page changes in headless Chromium against the real server (production
 * build of the web UI) with a few thousand incidents.
 */
export async function benchQueueRender(options: { incidents?: number } = {}): Promise<void> {
  const incidents = options.incidents ?? 3_000;
  const database = await createBenchDatabase('sqlite');
  const env = benchEnv(database.target);
  try {
    await createToken(env);
    const storage = openStorage(database.target);
    await generateIncidents(storage, incidents);
    await storage.close();
    const server = await startServer(env);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    try {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(env.VIGIL_ADMIN_EMAIL!);
      await page.getByLabel('Password').fill(env.VIGIL_ADMIN_PASSWORD!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      await page.goto('/w/default/incidents');
      await page.locator(`${TABLE}[data-rendered-at]`).waitFor();
      await page.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        page.document.addEventListener('click', () => (page.queueClickAt = page.performance.now()), true);
      });
      const samples: Sample[] = [];
      for (let i = 0; i < WARMUP + RUNS; i += 1) {
        const sample = await nextPage(page);
        if (i >= WARMUP) samples.push(sample);
      }
      const rows = await page.locator(`${TABLE} tbody tr`).count();
      const line = (values: number[]) => `p50 ${round(percentile(values, 50))} ms   p95 ${round(percentile(values, 95))} ms`;
      printTable(
        `Web UI: incident queue, ${incidents.toLocaleString('en')} incidents — SQLite, headless Chromium (${RUNS} page changes of ${rows} rows)`,
        [
          ['list response arrived → rows committed by React', line(samples.map((s) => s.committed))],
          ['list response arrived → rows painted (target < 100 ms)', line(samples.map((s) => s.afterData))],
          ['click on Next page → rows painted (includes the API)', line(samples.map((s) => s.afterClick))],
        ],
      );
    } finally {
      await browser.close().catch(() => undefined);
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

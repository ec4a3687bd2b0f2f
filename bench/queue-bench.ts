import { sql } from 'kysely';
import { openStorage } from '../src/storage/database.js';
import { createBenchDatabase } from './databases.js';
import { PRODUCTS, generateIncidents } from './queue-data.js';
import { benchEnv, createToken, startServer } from './server-process.js';
import { percentile, printTable, round } from './stats.js';

const REPEAT = 100;

/** Queue latency with many incidents loaded: p50/p95 of filtered, sorted pages of 50 through HTTP. */
export async function benchQueue(kind: 'sqlite' | 'postgres', options: { incidents: number; serverUrl?: string }): Promise<void> {
  const database = await createBenchDatabase(kind, options.serverUrl);
  const env = benchEnv(database.target);
  try {
    const token = await createToken(env);
    const storage = openStorage(database.target);
    const loadStarted = performance.now();
    const { userIds, ruleIds } = await generateIncidents(storage, options.incidents);
    if (kind === 'postgres') await sql`vacuum analyze`.execute(storage.db);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await storage.close();

    const server = await startServer(env);
    const headers = { authorization: `Bearer ${token}` };
    const base = `${server.url}/api/v1/workspaces/default`;
    const month = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const firstPage = (await (await fetch(`${base}/incidents?status=New,Active&limit=50`, { headers })).json()) as {
      nextCursor: string;
    };
    const queries: [string, string][] = [
      ['open queue (status New,Active), newest first', '/incidents?status=New,Active&limit=50'],
      ['its second page (cursor)', `/incidents?status=New,Active&limit=50&cursor=${firstPage.nextCursor}`],
      ['New + High, newest first', '/incidents?status=New&severity=High&limit=50'],
      ['one owner, Active', `/incidents?owner=${userIds[3]}&status=Active&limit=50`],
      ['unassigned, open', '/incidents?owner=unassigned&status=New,Active&limit=50'],
      ['tag, recently updated first', '/incidents?tag=ransomware&sort=updated&limit=50'],
      ['product, last 30 days', `/incidents?product=${encodeURIComponent(PRODUCTS[2]!)}&createdFrom=${month}&limit=50`],
      ['analytics rule', `/incidents?analyticsRule=${ruleIds[7]}&limit=50`],
      ['all, by severity', '/incidents?sort=severity&limit=50'],
      ['all, by number ascending', '/incidents?sort=number&order=asc&limit=50'],
      ['closed as FalsePositive', '/incidents?status=Closed&classification=FalsePositive&limit=50'],
      ['counts for the open queue', '/incidents/counts?status=New,Active'],
      ['counts, no filter', '/incidents/counts'],
      ['text search, rare words "host-1234"', '/incidents?q=host-1234&limit=50'],
      ['text search, a common word "malware"', '/incidents?q=malware&limit=50'],
      ['text search, a word found nowhere "xyzzy"', '/incidents?q=xyzzy&limit=50'],
      ['counts for a text search "malware"', '/incidents/counts?q=malware'],
      ['counts for one owner', `/incidents/counts?owner=${userIds[3]}`],
      ['counts for a tag', '/incidents/counts?tag=ransomware'],
    ];
    const rows: [string, string][] = [];
    for (const [name, path] of queries) {
      const times: number[] = [];
      for (let i = 0; i < REPEAT + 5; i += 1) {
        const t0 = performance.now();
        const response = await fetch(`${base}${path}`, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path} → ${response.status}`);
        if (i >= 5) times.push(performance.now() - t0);
      }
      rows.push([name, `p50 ${round(percentile(times, 50))} ms   p95 ${round(percentile(times, 95))} ms`]);
    }
    const rss = server.rssBytes();
    await server.stop();
    printTable(
      `Incident queue, ${options.incidents.toLocaleString('en')} incidents — ${database.name} (pages of 50 through HTTP, ${REPEAT} runs each)`,
      [
        ['load (bench generator, not the API)', `${round(loadSeconds)} s`],
        ...rows,
        ['server RSS after the queries', `${Math.round(rss / 1024 / 1024)} MB`],
      ],
    );
  } finally {
    await database.drop();
  }
}

import { createBenchDatabase } from './databases.js';
import { benchEnv, createToken, startServer } from './server-process.js';
import { percentile, printTable, round } from './stats.js';
import { automationRules } from './automation-workload.js';
import { benchAlerts, benchRules } from './workload.js';

/** Ingest throughput through the batch API, with grouping, on one database kind. */
export async function benchIngest(
  kind: 'sqlite' | 'postgres',
  options: { alerts: number; serverUrl?: string; automationRules?: boolean },
): Promise<number> {
  const database = await createBenchDatabase(kind, options.serverUrl);
  const env = benchEnv(database.target);
  try {
    const token = await createToken(env);
    const server = await startServer(env);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `${server.url}/api/v1/workspaces/default`;
    for (const rule of benchRules()) {
      const response = await fetch(`${base}/analytics-rules`, { method: 'POST', headers, body: JSON.stringify(rule) });
      if (response.status !== 201) throw new Error(`creating a rule failed: ${response.status} ${await response.text()}`);
    }
    if (options.automationRules) {
      for (const rule of automationRules()) {
        const response = await fetch(`${base}/automation-rules`, { method: 'POST', headers, body: JSON.stringify(rule) });
        if (response.status !== 201)
          throw new Error(`creating an automation rule failed: ${response.status} ${await response.text()}`);
      }
    }
    const alerts = benchAlerts(options.alerts);
    const bodies: string[] = [];
    for (let i = 0; i < alerts.length; i += 1000) bodies.push(JSON.stringify({ alerts: alerts.slice(i, i + 1000) }));
    const warmup = JSON.stringify({ alerts: benchAlerts(1000, 7) });
    await fetch(`${base}/alerts`, { method: 'POST', headers, body: warmup });

    const latencies: number[] = [];
    const counts = { new: 0, grouped: 0, duplicate: 0 };
    const started = performance.now();
    for (const body of bodies) {
      const t0 = performance.now();
      const response = await fetch(`${base}/alerts`, { method: 'POST', headers, body });
      const result = (await response.json()) as { counts: typeof counts };
      if (response.status !== 201) throw new Error(`ingest failed: ${response.status} ${JSON.stringify(result)}`);
      latencies.push(performance.now() - t0);
      counts.new += result.counts.new;
      counts.grouped += result.counts.grouped;
      counts.duplicate += result.counts.duplicate;
    }
    const seconds = (performance.now() - started) / 1000;
    const rss = server.rssBytes();
    await server.stop();
    const throughput = options.alerts / seconds;
    const rulesNote = options.automationRules ? ', 50 automation rules' : '';
    printTable(`Ingest through POST /alerts, batches of 1,000, with grouping${rulesNote} — ${database.name}`, [
      ['alerts', options.alerts],
      ['throughput', `${Math.round(throughput).toLocaleString('en')} alerts/s`],
      [
        'new incidents / grouped',
        `${counts.new} / ${counts.grouped} (${round((100 * counts.grouped) / options.alerts)}% grouped)`,
      ],
      ['batch latency p50 / p99', `${round(percentile(latencies, 50))} ms / ${round(percentile(latencies, 99))} ms`],
      ['server RSS after', `${Math.round(rss / 1024 / 1024)} MB`],
    ]);
    return throughput;
  } finally {
    await database.drop();
  }
}

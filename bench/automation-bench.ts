import { createBenchDatabase } from './databases.js';
import { benchEnv, createToken, startServer } from './server-process.js';
import { percentile, printTable, round } from './stats.js';
import { updateRules } from './automation-workload.js';

/** Latency of incident updates that trigger 10 incident-updated rules, end to end through HTTP. */
export async function benchUpdateRules(
  kind: 'sqlite' | 'postgres',
  options: { updates: number; serverUrl?: string },
): Promise<void> {
  const database = await createBenchDatabase(kind, options.serverUrl);
  const env = benchEnv(database.target);
  try {
    const token = await createToken(env);
    const server = await startServer(env);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `${server.url}/api/v1/workspaces/default`;
    for (const rule of updateRules()) {
      const response = await fetch(`${base}/automation-rules`, { method: 'POST', headers, body: JSON.stringify(rule) });
      if (response.status !== 201) throw new Error(`creating a rule failed: ${await response.text()}`);
    }
    const numbers: number[] = [];
    for (let i = 0; i < options.updates + 20; i += 1) {
      const response = await fetch(`${base}/incidents`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: `bench incident ${i}`, severity: 'Low' }),
      });
      numbers.push(((await response.json()) as { number: number }).number);
    }
    const latencies: number[] = [];
    for (const [i, number] of numbers.entries()) {
      const t0 = performance.now();
      const response = await fetch(`${base}/incidents/${number}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ severity: 'High' }),
      });
      const incident = (await response.json()) as { tags: string[]; taskCounts: { total: number } };
      if (i >= 20) latencies.push(performance.now() - t0);
      if (incident.tags.length !== 8 || incident.taskCounts.total !== 2)
        throw new Error(`the 10 rules did not all run: ${JSON.stringify(incident)}`);
    }
    await server.stop();
    printTable(
      `PATCH of an incident that fires 10 incident-updated rules — ${database.name} (${options.updates} updates after 20 warm-up)`,
      [
        [
          'p50 / p95 / p99',
          `${round(percentile(latencies, 50))} / ${round(percentile(latencies, 95))} / ${round(percentile(latencies, 99))} ms`,
        ],
        ['each update', 'severity change + 10 rules: 8 tags, 2 tasks, 10 activity entries, run log'],
      ],
    );
  } finally {
    await database.drop();
  }
}

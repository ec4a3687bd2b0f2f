import { createBenchDatabase, type BenchDatabase } from './databases.js';
import { benchEnv, createToken, startServer, type ServerProcess } from './server-process.js';
import { percentile, printTable, round } from './stats.js';
import { automationRules } from './automation-workload.js';
import { benchAlerts, benchRules } from './workload.js';

type Counts = { new: number; grouped: number; duplicate: number };

/** A server on a fresh database, set up for the ingest workload, that takes batches and times them. */
interface IngestTarget {
  database: BenchDatabase;
  server: ServerProcess;
  latencies: number[];
  counts: Counts;
  /** Sends one batch (a JSON body) and returns how long the server took to answer, in ms. */
  send(body: string): Promise<number>;
  close(): Promise<void>;
}

async function ingestTarget(
  kind: 'sqlite' | 'postgres',
  options: { serverUrl?: string; automationRules?: boolean },
): Promise<IngestTarget> {
  const database = await createBenchDatabase(kind, options.serverUrl);
  const env = benchEnv(database.target);
  const token = await createToken(env);
  const server = await startServer(env);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const base = `${server.url}/api/v1/workspaces/default`;
  const create = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${base}/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`creating ${path} failed: ${response.status} ${await response.text()}`);
  };
  for (const rule of benchRules()) await create('analytics-rules', rule);
  if (options.automationRules) for (const rule of automationRules()) await create('automation-rules', rule);
  await fetch(`${base}/alerts`, { method: 'POST', headers, body: JSON.stringify({ alerts: benchAlerts(1000, 7) }) });
  const target: IngestTarget = {
    database,
    server,
    latencies: [],
    counts: { new: 0, grouped: 0, duplicate: 0 },
    async send(body) {
      const t0 = performance.now();
      const response = await fetch(`${base}/alerts`, { method: 'POST', headers, body });
      const result = (await response.json()) as { counts: Counts };
      if (response.status !== 201) throw new Error(`ingest failed: ${response.status} ${JSON.stringify(result)}`);
      const ms = performance.now() - t0;
      target.latencies.push(ms);
      target.counts.new += result.counts.new;
      target.counts.grouped += result.counts.grouped;
      target.counts.duplicate += result.counts.duplicate;
      return ms;
    },
    async close() {
      await server.stop();
      await database.drop();
    },
  };
  return target;
}

/** The benchmark's alerts as request bodies of 1,000 alerts each. */
function batchBodies(count: number): string[] {
  const alerts = benchAlerts(count);
  const bodies: string[] = [];
  for (let i = 0; i < alerts.length; i += 1000) bodies.push(JSON.stringify({ alerts: alerts.slice(i, i + 1000) }));
  return bodies;
}

const busyMs = (target: IngestTarget) => target.latencies.reduce((sum, ms) => sum + ms, 0);

/**
 * Ingest throughput through the batch API, with grouping, on one database kind; `clients` senders
 * post batches at once (each waits for its answer before sending the next).
 */
export async function benchIngest(
  kind: 'sqlite' | 'postgres',
  options: { alerts: number; clients: number; serverUrl?: string },
): Promise<number> {
  const target = await ingestTarget(kind, options);
  try {
    const bodies = batchBodies(options.alerts);
    let next = 0;
    const sender = async () => {
      while (next < bodies.length) await target.send(bodies[next++]!);
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: options.clients }, sender));
    const seconds = (performance.now() - started) / 1000;
    const rss = target.server.rssBytes();
    const throughput = options.alerts / seconds;
    const { counts, latencies } = target;
    const senders = options.clients === 1 ? '' : `, ${options.clients} clients at once`;
    printTable(`Ingest through POST /alerts, batches of 1,000, with grouping${senders} — ${target.database.name}`, [
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
    await target.close();
  }
}

/**
 * What 50 automation rules cost ingest: two servers, one without rules and one with them, take the
 * same batches in turn (in alternating order), so both are measured over the same moments of the
 * machine; a VM whose speed drifts by ±15% from one minute to the next would otherwise decide the
 * figure. Throughput is alerts over the time each server spent answering its batches.
 */
export async function benchRuleCost(
  kind: 'sqlite' | 'postgres',
  options: { alerts: number; serverUrl?: string },
): Promise<number> {
  const without = await ingestTarget(kind, options);
  const withRules = await ingestTarget(kind, { ...options, automationRules: true });
  try {
    const ratios: number[] = [];
    for (const [i, body] of batchBodies(options.alerts).entries()) {
      const order = i % 2 === 0 ? [without, withRules] : [withRules, without];
      for (const target of order) await target.send(body);
      ratios.push(withRules.latencies[i]! / without.latencies[i]!);
    }
    const rate = (target: IngestTarget) => options.alerts / (busyMs(target) / 1000);
    const cost = 1 - rate(withRules) / rate(without);
    const perBatch = 1 - 1 / percentile(ratios, 50);
    printTable(`Ingest with and without 50 automation rules, batches in turn — ${without.database.name}`, [
      ['alerts (each server)', options.alerts],
      ['throughput without rules', `${Math.round(rate(without)).toLocaleString('en')} alerts/s`],
      ['throughput with 50 rules', `${Math.round(rate(withRules)).toLocaleString('en')} alerts/s`],
      [
        'batch latency p50 without / with',
        `${round(percentile(without.latencies, 50))} / ${round(percentile(withRules.latencies, 50))} ms`,
      ],
      ['cost of the rules (median batch)', `${round(100 * perBatch)}%`],
    ]);
    process.stdout.write(`  → 50 automation rules cost ${round(100 * cost)}% of ingest throughput on ${kind} (target < 20%)\n`);
    return cost;
  } finally {
    await without.close();
    await withRules.close();
  }
}

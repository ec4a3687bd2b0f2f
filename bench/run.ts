import os from 'node:os';
import { postgresServer } from './databases.js';
import { benchUpdateRules } from './automation-bench.js';
import { benchIngest, benchRuleCost } from './ingest-bench.js';
import { benchPlaybookRuns, benchWebhookRuns } from './playbook-bench.js';
import { benchQueue } from './queue-bench.js';
import { benchStartup } from './startup-bench.js';
import { benchQueueRender } from './web-queue-bench.js';

/** What the header says about PostgreSQL: found, skipped on request, or not answering. */
function postgresStatus(url: string | undefined): string {
  if (url) return 'available';
  if (process.env.BENCH_DATABASES === 'sqlite') return 'skipped (BENCH_DATABASES=sqlite)';
  return 'not reachable (PostgreSQL figures skipped)';
}

/**
 * `npm run bench`: prints Vigil's measured figures. Sizes can be lowered for a quick run:
 * BENCH_ALERTS (default 100000), BENCH_INCIDENTS (default 1000000), BENCH_RUNS (playbook runs, default 10000),
 * BENCH_ONLY=startup,ingest,automation,queue,playbooks,web,
 * BENCH_DATABASES=sqlite to skip PostgreSQL, BENCH_DATABASES=postgres to skip SQLite,
 * BENCH_CLIENTS (concurrent senders in the ingest section, default 1).
 */
async function main(): Promise<void> {
  const alerts = Number(process.env.BENCH_ALERTS ?? 100_000);
  const incidents = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
  // Concurrent senders in the ingest section (each waits for its answer before the next batch).
  const clients = Number(process.env.BENCH_CLIENTS ?? 1);
  if (!Number.isInteger(clients) || clients < 1 || clients > 16)
    throw new Error('BENCH_CLIENTS must be a whole number from 1 to 16');
  const only = new Set((process.env.BENCH_ONLY ?? 'startup,ingest,automation,queue,playbooks,web').split(','));
  const pgUrl = process.env.BENCH_DATABASES === 'sqlite' ? undefined : await postgresServer();
  const onSqlite = process.env.BENCH_DATABASES !== 'postgres';
  process.stdout.write(
    `Vigil benchmark — ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ` +
      `PostgreSQL ${postgresStatus(pgUrl)}\n`,
  );
  if (only.has('startup')) await benchStartup();
  if (only.has('ingest')) {
    if (onSqlite) await benchIngest('sqlite', { alerts, clients });
    if (pgUrl) await benchIngest('postgres', { alerts, clients, serverUrl: pgUrl });
  }
  if (only.has('automation')) {
    if (onSqlite) await benchRuleCost('sqlite', { alerts });
    if (pgUrl) await benchRuleCost('postgres', { alerts, serverUrl: pgUrl });
    if (onSqlite) await benchUpdateRules('sqlite', { updates: 500 });
    if (pgUrl) await benchUpdateRules('postgres', { updates: 500, serverUrl: pgUrl });
  }
  if (only.has('playbooks')) {
    const runs = Number(process.env.BENCH_RUNS ?? 10_000);
    if (onSqlite) await benchPlaybookRuns('sqlite', { incidents: runs });
    if (pgUrl) await benchPlaybookRuns('postgres', { incidents: runs, serverUrl: pgUrl });
    if (onSqlite) await benchWebhookRuns('sqlite', { runs });
    if (pgUrl) await benchWebhookRuns('postgres', { runs, serverUrl: pgUrl });
  }
  if (only.has('queue')) {
    if (onSqlite) await benchQueue('sqlite', { incidents });
    if (pgUrl) await benchQueue('postgres', { incidents, serverUrl: pgUrl });
  }
  if (only.has('web')) await benchQueueRender();
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

import { createBenchDatabase } from './databases.js';
import { benchEnv, createToken, startServer } from './server-process.js';
import { percentile, printTable, round } from './stats.js';

/** Server cold start on SQLite: from process spawn to the first answered request. */
export async function benchStartup(): Promise<void> {
  const fresh = await createBenchDatabase('sqlite');
  try {
    const env = benchEnv(fresh.target);
    const first = await startServer(env);
    const firstMs = first.startupMs;
    await first.stop();
    await createToken(env);
    const runs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const server = await startServer(env);
      runs.push(server.startupMs);
      await server.stop();
    }
    printTable('Server cold start on SQLite (spawn → first /healthz answer)', [
      ['first start (creates the database, migrates, creates the admin)', `${round(firstMs, 0)} ms`],
      ['later starts, median of 5', `${round(percentile(runs, 50), 0)} ms`],
      ['later starts, worst of 5', `${round(Math.max(...runs), 0)} ms`],
    ]);
  } finally {
    await fresh.drop();
  }
}

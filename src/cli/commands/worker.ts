import { createApp } from '../../app/app.js';
import { loadConfig, type RawSettings } from '../../config/config.js';

/** Flags of `vigil worker`. */
export interface WorkerFlags {
  databaseUrl?: string;
  workers?: string;
  logLevel?: string;
}

/**
 * Executes playbook runs without serving HTTP: the scale-out worker for PostgreSQL deployments.
 * Runs until SIGTERM/SIGINT; runs in flight are handed back and resume in another worker.
 */
export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const raw: RawSettings = { DATABASE_URL: flags.databaseUrl, VIGIL_WORKERS: flags.workers, LOG_LEVEL: flags.logLevel };
  const config = loadConfig(process.env, raw);
  if (config.storage.kind !== 'postgres') {
    process.stderr.write(
      'vigil worker needs PostgreSQL (DATABASE_URL=postgres://…). With the embedded database, `vigil serve` executes playbook runs itself.\n',
    );
    process.exit(2);
  }
  if (config.workers <= 0) {
    process.stderr.write('VIGIL_WORKERS is 0: this worker would execute nothing.\n');
    process.exit(2);
  }
  const app = await createApp(config, { worker: true });
  app.logger.info({ database: app.storage.describe, workers: config.workers }, 'vigil worker started');
  process.stdout.write(`Vigil worker: executing up to ${config.workers} playbook runs at a time from ${app.storage.describe}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'worker stopping: handing back runs in flight');
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

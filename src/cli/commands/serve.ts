import { createApp, VERSION } from '../../app/app.js';
import { loadConfig, type RawSettings } from '../../config/config.js';

/** Flags of `vigil serve`, matching the environment variables. */
export interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
  /** Commander's `--no-worker` (false when given). */
  worker?: boolean;
  workers?: string;
}

/** Starts the HTTP server and runs until SIGTERM/SIGINT, then shuts down gracefully. */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  const started = performance.now();
  const raw: RawSettings = {
    PORT: flags.port,
    HOST: flags.host,
    DATA_DIR: flags.dataDir,
    DATABASE_URL: flags.databaseUrl,
    LOG_LEVEL: flags.logLevel,
    VIGIL_WORKERS: flags.worker === false ? '0' : flags.workers,
  };
  const config = loadConfig(process.env, raw);
  const app = await createApp(config, { worker: true });
  const address = await app.server.listen({ port: config.port, host: config.host });
  const url = config.host === '0.0.0.0' || config.host === '::' ? config.publicUrl : address.replace('[::1]', 'localhost');
  const ms = Math.round(performance.now() - started);
  app.logger.info({ url, database: app.storage.describe, startupMs: ms }, 'vigil started');

  const lines = [
    '',
    `Vigil ${VERSION} is running at ${url}  (started in ${ms} ms)`,
    `  Web UI: ${url}/   (sign in there)`,
    `  Database: ${app.storage.describe}`,
    `  Playbook runs: ${config.workers > 0 ? `executed here, ${config.workers} at a time` : 'not executed here (start `vigil worker`)'}`,
    `  API reference: ${url}/api/docs   OpenAPI: ${url}/api/openapi.json`,
  ];
  const admin = app.bootstrap.admin;
  if (admin?.password) {
    lines.push(
      '',
      `  First start: an administrator was created. Sign in at ${url}/ with`,
      `    email:    ${admin.email}`,
      `    password: ${admin.password}   (one-time: you will be asked to change it)`,
      `  or make an API token for scripts:  npx vigil tokens create --name my-script --role Owner`,
      `  and send it as "Authorization: Bearer <token>".`,
    );
  } else if (admin) {
    lines.push('', `  First start: administrator ${admin.email} was created with the password from VIGIL_ADMIN_PASSWORD.`);
  } else {
    lines.push('', '  Sign in with your account, or use an API token ("npx vigil tokens create --name … --role …").');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.logger.error('shutdown took more than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    timer.unref();
    await app.close();
    app.logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

import { bootstrap, installAccessHook, type BootstrapReport } from '../auth/index.js';
import type { Config } from '../config/config.js';
import { registerHealthRoutes } from '../http/health-routes.js';
import { registerOpenApi } from '../http/openapi.js';
import { createHttpServer, type RouteInfo } from '../http/server.js';
import type { VigilServer } from '../http/types.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { openStorage, type Storage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { registerModuleRoutes } from './modules.js';
import { createServices, type Services } from './services.js';
import { VERSION } from './version.js';
import { registerWebUi } from '../web-ui/index.js';

/** The running application: HTTP server, storage and services. */
export interface App {
  server: VigilServer;
  storage: Storage;
  services: Services;
  logger: Logger;
  bootstrap: BootstrapReport;
  /** Every route with the permission it declares. */
  routes: RouteInfo[];
  /** Stops accepting requests, waits for in-flight ones, and closes the database. */
  close(): Promise<void>;
}

/** Options for building the app (tests and the CLI use them; the server uses the defaults). */
export interface AppOptions {
  logger?: Logger;
  /** A per-process secret letting the CLI act in-process as an administrator. */
  localSecret?: string;
  now?: () => number;
  storage?: Storage;
  /** Execute playbook runs in this process (`vigil serve` does unless --no-worker; CLI commands in-process do not). */
  worker?: boolean;
  /** Deliver webhooks and notification emails from this process (default: as `worker`). */
  deliveries?: boolean;
}

export { VERSION };

const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

/** The composition root: opens and migrates the database, bootstraps it, builds services and routes. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const storage = options.storage ?? openStorage(config.storage);
  try {
    // Migrating and bootstrapping go on while the routes are built: on a first start the
    // administrator's password is hashed (scrypt, in the thread pool) meanwhile instead of before.
    const settingUp = migrateToLatest(storage.db).then(() =>
      bootstrap(storage, { adminEmail: config.adminEmail, adminPassword: config.adminPassword }),
    );
    settingUp.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
    const services = createServices(storage, config, { localSecret: options.localSecret, now: options.now });
    const state = { shuttingDown: false };
    const routes: RouteInfo[] = [];
    const server = createHttpServer(logger, state, routes);
    await registerOpenApi(server, VERSION);
    installAccessHook(server, services.auth);
    registerHealthRoutes(server, storage, state);
    registerModuleRoutes(server, services, config);
    await registerWebUi(server);
    const report = await settingUp;
    await services.playbooks.prepare(logger);
    await server.ready();
    await storage.dialect.maintain(storage.db);
    if (options.worker) services.playbooks.startWorkers(logger);
    // PDF exports are made by every process that serves requests, the CLI's in-process app included.
    services.incidentExports.start(logger);
    if (options.deliveries ?? options.worker) services.events.start(logger);
    const maintenance = setInterval(() => {
      storage.dialect.maintain(storage.db).catch((error) => logger.warn({ err: error }, 'database maintenance failed'));
    }, MAINTENANCE_INTERVAL_MS);
    maintenance.unref();
    let closing: Promise<void> | undefined;
    return {
      server,
      storage,
      services,
      logger,
      bootstrap: report,
      routes,
      close() {
        closing ??= (async () => {
          state.shuttingDown = true;
          clearInterval(maintenance);
          await server.close();
          // Runs in flight are handed back; if the database is gone, their leases expire instead.
          await services.playbooks
            .stopWorkers()
            .catch((error) => logger.warn({ err: error }, 'could not hand back the playbook runs in flight'));
          await services.events.stop().catch((error) => logger.warn({ err: error }, 'could not stop event delivery cleanly'));
          await services.incidentExports
            .stop()
            .catch((error) => logger.warn({ err: error }, 'could not stop the export generator'));
          await storage.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await storage.close().catch(() => {});
    throw error;
  }
}

import type { AlertService } from '../alerts/index.js';
import { createApprovalPort } from '../approvals/approval-port.js';
import { createApprovalService } from '../approvals/approval-service.js';
import type { CommentService } from '../comments/index.js';
import type { Config } from '../config/config.js';
import { createConnectionService } from '../connections/connection-service.js';
import { loadSecretKey, redactSecrets, type SecretKey } from '../connections/secret-box.js';
import { createConnectors } from '../connectors/registry.js';
import type { EntityService } from '../entities/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { Logger } from '../logging/logger.js';
import { createMailer } from '../mail/mailer.js';
import type { Storage } from '../storage/database.js';
import type { TaskService } from '../tasks/index.js';
import { createActionCatalog } from './action-catalog.js';
import { incidentReadActions } from './builtin/incident-read-actions.js';
import { incidentWriteActions } from './builtin/incident-write-actions.js';
import { createDefinitionCache } from './definition-cache.js';
import { createLaunchBatcher } from './launch-batcher.js';
import type { EngineDeps, RunQueue } from './engine/run-executor.js';
import { createPlaybookService } from './playbook-service.js';
import { createRunService } from './run-service.js';
import { createEmbeddedWorker, embeddedQueue, type RunWorker } from './worker/embedded-worker.js';
import { createGraphileWorker, graphileQueue, installJobQueue } from './worker/graphile-worker.js';
import { createScheduler } from './worker/scheduler.js';

/** Where runs are queued: the run table on SQLite (in-process worker), graphile-worker on PostgreSQL. */
export function createRunQueue(storage: Storage, worker: () => RunWorker | undefined): RunQueue {
  return storage.dialect.name === 'postgres' ? graphileQueue() : embeddedQueue(worker);
}

/** What the playbooks module is built from. */
export interface PlaybookModuleDeps {
  storage: Storage;
  config: Config;
  now: () => number;
  queue: RunQueue;
  /** Lets the queue reach this process's worker (embedded mode wakes it after commits). */
  setWorker: (worker: RunWorker | undefined) => void;
  incidents: IncidentService;
  alerts: AlertService;
  entities: EntityService;
  comments: CommentService;
  tasks: TaskService;
  logger?: Logger;
}

/**
 * The playbooks domain wired together: the action catalog (built-in actions and connectors),
 * connections, playbooks, runs, approvals, the engine's dependencies, and the workers that
 * execute runs (started by `vigil serve` and `vigil worker`, not by in-process CLI commands).
 */
export function createPlaybookModule(deps: PlaybookModuleDeps) {
  const { storage, config, now, queue } = deps;
  let key: SecretKey | undefined;
  const secretKey = () => (key ??= loadSecretKey({ env: { VIGIL_SECRET_KEY: config.secretKey }, dataDir: config.dataDir }));
  const connectors = createConnectors({ egressAllowlist: config.egressAllowlist });
  const catalog = createActionCatalog([...incidentReadActions(deps), ...incidentWriteActions({ ...deps, storage })], connectors);
  const connections = createConnectionService({ storage, now, secretKey, connectorOf: (id) => catalog.connector(id) });
  const playbooks = createPlaybookService({
    storage,
    now,
    catalog,
    connections: connections.connectorsByName,
    publicUrl: config.publicUrl,
  });
  let worker: RunWorker | undefined;
  const definitions = createDefinitionCache(storage.db);
  const launcher = createLaunchBatcher(storage, () => queue, now);
  const runs = createRunService({
    storage,
    now,
    launcher,
    worker: () => worker,
    playbooks,
    incidents: deps.incidents,
    alerts: deps.alerts,
  });
  const approvals = createApprovalService({ storage, now, queue: () => queue });
  const mailer = createMailer(config.smtp);
  let logger = deps.logger;
  const engine = (log: Logger): EngineDeps => ({
    storage,
    now,
    publicUrl: config.publicUrl,
    catalog,
    services: deps,
    connections,
    approvals: createApprovalPort({
      storage,
      now,
      publicUrl: config.publicUrl,
      linkKey: () => secretKey().key,
      mailer,
      logger: log,
    }),
    definitions,
    queue,
    redact: redactSecrets,
    leaseMs: config.runLeaseMs,
    logger: log,
  });
  const scheduler = () => createScheduler({ storage, now, queue: () => queue, logger: logger! });
  let running: { worker: RunWorker; scheduler: ReturnType<typeof scheduler> } | undefined;

  return {
    catalog,
    queue,
    /** The key secrets are sealed with (connections; webhook subscriptions share it). */
    secretKey,
    /** Definitions by version, parsed once per process. */
    definitions,
    /** Group-committed launches for triggers without a transaction of their own (webhooks). */
    launcher,
    connections,
    playbooks,
    runs,
    approvals,
    /** Installs the PostgreSQL job queue's schema (API processes enqueue even with no worker running). */
    async prepare(log: Logger): Promise<void> {
      if (storage.dialect.name === 'postgres' && config.storage.kind === 'postgres')
        await installJobQueue(config.storage.url, log);
    },
    /** Starts this process's workers and the scheduler (`VIGIL_WORKERS` at a time; none when 0). */
    startWorkers(log: Logger, options: { concurrency?: number } = {}): void {
      const concurrency = options.concurrency ?? config.workers;
      if (running || concurrency <= 0) return;
      logger = log;
      const engineDeps = engine(log);
      worker =
        config.storage.kind === 'postgres'
          ? createGraphileWorker(engineDeps, { connectionString: config.storage.url, concurrency })
          : createEmbeddedWorker(engineDeps, { concurrency, pollMs: 1_000 });
      deps.setWorker(worker);
      running = { worker, scheduler: scheduler() };
      worker.start();
      running.scheduler.start();
    },
    /** Stops the workers: runs in flight are handed back and resume on the next start. */
    async stopWorkers(): Promise<void> {
      if (!running) return;
      running.scheduler.stop();
      await running.worker.stop();
      deps.setWorker(undefined);
      running = undefined;
      worker = undefined;
      mailer.close();
    },
  };
}

/** The playbooks module. */
export type PlaybookModule = ReturnType<typeof createPlaybookModule>;

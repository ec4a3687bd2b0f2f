import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  PostgresDriver,
  type DatabaseConnection,
  type Driver,
  type TransactionSettings,
} from 'kysely';
import type pg from 'pg';
import { lazyRequire } from '../common/lazy-require.js';
import type { StorageTarget } from '../config/config.js';
import type { FlushMode } from './durability.js';
import { postgresDialect, sqliteDialect, type Dialect } from './dialect.js';
import type { Database } from './schema.js';
import { usePreparedStatements } from './prepared-statements.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { sqliteDialects } from './sqlite-driver.js';

/** An open database: the Kysely handle, its dialect helpers, and how to close it. */
export interface Storage {
  db: Kysely<Database>;
  /** The same database; its transactions commit without waiting for the disk (durability.ts). */
  deferredDb: Kysely<Database>;
  dialect: Dialect;
  /** A short description for logs, without credentials. */
  describe: string;
  close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Opens the embedded SQLite file (creating its folder) or connects to PostgreSQL. */
export function openStorage(target: StorageTarget, options: { poolSize?: number } = {}): Storage {
  return target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url, options.poolSize ?? 10);
}

function openSqlite(file: string): Storage {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the API acknowledges it, even across a power loss.
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  // Statement journals (each multi-row INSERT keeps the pages it changes, in case it must be undone)
  // and temporary tables in memory: on disk, they cost a write system call per page.
  database.pragma('temp_store = MEMORY');
  // Checkpoints run in a background thread (sqlite-checkpointer.ts); this is only a backstop.
  database.pragma('wal_autocheckpoint = 10000');
  database.function('vigil_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLocaleLowerCase() : value,
  );
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(file);
  // Each commit asks for a checkpoint, so the log is usually copied before the next write starts.
  const dialects = sqliteDialects(database, () => checkpointer?.nudge());
  const db = new Kysely<Database>({ dialect: dialects.full });
  const deferredDb = new Kysely<Database>({ dialect: dialects.deferred });
  return {
    db,
    deferredDb,
    dialect: sqliteDialect,
    describe: `sqlite:${file}`,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

// pg loads only when the database is PostgreSQL.
const requirePg = lazyRequire<typeof pg>('pg');

function openPostgres(url: string, poolSize: number): Storage {
  const { Pool, types } = requirePg();
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
        return types.getTypeParser(oid, format as 'text');
      }) as typeof types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', usePreparedStatements);
  const db = new Kysely<Database>({ dialect: new VigilPostgresDialect(pool, 'full') });
  const deferredDb = new Kysely<Database>({ dialect: new VigilPostgresDialect(pool, 'deferred') });
  const parsed = new URL(url);
  return {
    db,
    deferredDb,
    dialect: postgresDialect,
    describe: `postgres://${parsed.host}${parsed.pathname}`,
    close: () => db.destroy(),
  };
}

/** PostgreSQL through Kysely's driver, with deferred-flush transactions on the deferred handle (durability.ts). */
class VigilPostgresDialect extends PostgresDialect {
  constructor(
    private readonly pool: pg.Pool,
    private readonly flush: FlushMode,
  ) {
    super({ pool });
  }

  override createDriver(): Driver {
    return new FlushModePostgresDriver({ pool: this.pool }, this.flush);
  }
}

class FlushModePostgresDriver extends PostgresDriver {
  constructor(
    config: ConstructorParameters<typeof PostgresDriver>[0],
    private readonly flush: FlushMode,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings);
    if (this.flush === 'deferred') await connection.executeQuery(CompiledQuery.raw('set local synchronous_commit = off'));
  }

  override async destroy(): Promise<void> {
    // The full handle owns the pool; the deferred one only borrows it.
    if (this.flush === 'full') await super.destroy();
  }
}

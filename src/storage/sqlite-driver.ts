import type { FlushMode } from './durability.js';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

/** The one connection and its turn-taking, shared by the handles of a database. */
interface SharedConnection {
  connection: CachingSqliteConnection;
  mutex: Mutex;
  afterCommit: () => void;
}

/**
 * Kysely's SQLite dialect with our driver: write transactions start with BEGIN IMMEDIATE (so two
 * processes on one file never deadlock on a lock upgrade) and prepared statements are cached.
 */
export class VigilSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly shared: SharedConnection,
    private readonly flush: FlushMode,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new CachingSqliteDriver(this.database, this.shared, this.flush);
  }
}

/**
 * The dialects of one SQLite database: transactions on `full` wait for the disk at commit, those
 * on `deferred` do not (durability.ts). Both use the same connection, one caller at a time.
 */
export function sqliteDialects(
  database: BetterSqlite3.Database,
  afterCommit: () => void = () => {},
): Record<FlushMode, VigilSqliteDialect> {
  const shared = { connection: new CachingSqliteConnection(database), mutex: new Mutex(), afterCommit };
  return {
    full: new VigilSqliteDialect(database, shared, 'full'),
    deferred: new VigilSqliteDialect(database, shared, 'deferred'),
  };
}

class CachingSqliteDriver implements Driver {
  /** `synchronous` for a deferred transaction, and back (prepared once: they run twice per transaction). */
  readonly #deferFlush: BetterSqlite3.Statement | undefined;
  readonly #fullFlush: BetterSqlite3.Statement | undefined;

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly shared: SharedConnection,
    private readonly flush: FlushMode,
  ) {
    if (flush === 'deferred') {
      this.#deferFlush = database.prepare('pragma synchronous = NORMAL');
      this.#fullFlush = database.prepare('pragma synchronous = FULL');
    }
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.shared.mutex.lock();
    return this.shared.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = settings.accessMode === 'read only' ? 'begin deferred' : 'begin immediate';
    // synchronous only changes outside a transaction; back to FULL when it ends (see durability.ts).
    this.#deferFlush?.run();
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.#fullFlush?.run();
    }
    this.shared.afterCommit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.#fullFlush?.run();
    }
  }

  async releaseConnection(): Promise<void> {
    this.shared.mutex.unlock();
  }

  async destroy(): Promise<void> {
    // The full handle owns the database; the deferred one only borrows its connection.
    if (this.flush === 'full') this.database.close();
  }
}

class CachingSqliteConnection implements DatabaseConnection {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly database: BetterSqlite3.Database) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (statement.reader) {
      return { rows: statement.all(parameters) as R[] };
    }
    const { changes } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), rows: [] };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.#prepare(compiledQuery.sql);
    for (const row of statement.iterate(compiledQuery.parameters as unknown[])) {
      yield { rows: [row as R] };
    }
  }

  #prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement) {
      // Re-insert to keep the map in least-recently-used order.
      this.#statements.delete(sql);
    } else {
      statement = this.database.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        this.#statements.delete(this.#statements.keys().next().value!);
      }
    }
    this.#statements.set(sql, statement);
    return statement;
  }
}

/** SQLite has one connection; callers take turns. */
class Mutex {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  async lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from './schema.js';

/** A Kysely handle that is either the database or an open transaction. */
export type Executor = Kysely<Database>;

/**
 * Everything that differs between SQLite and PostgreSQL, in one place. Repositories and services
 * are written once against Kysely and ask this object when the two databases need different SQL.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** How many bound parameters one statement may carry; bulk writes are chunked below it. */
  readonly maxParameters: number;
  /**
   * Serializes writers of one workspace for the rest of the transaction (alert grouping and
   * incident numbering must see each other's results). SQLite's BEGIN IMMEDIATE already does.
   */
  lockWorkspace(trx: Executor, workspaceId: string): Promise<void>;
  /** A case-insensitive "contains" predicate, Unicode-aware on both databases. */
  containsInsensitive(column: Expression<string>, text: string): RawBuilder<SqlBool>;
  /** Whether `SELECT … FOR UPDATE` exists (row locks); SQLite has one writer and needs none. */
  readonly supportsRowLocks: boolean;
  /**
   * Keeps the query planner's statistics fresh. SQLite analyzes tables whose size changed a lot
   * (PRAGMA optimize, with a row limit so it stays fast); PostgreSQL's autovacuum does this itself.
   */
  maintain(db: Executor): Promise<void>;
  /**
   * Table option for small rows with a composite primary key: SQLite stores them in the key's
   * B-tree only (WITHOUT ROWID), one B-tree fewer to write per row; PostgreSQL has no such option.
   */
  readonly clusteredByKey: RawBuilder<unknown>;
  /** The column type of raw bytes (files such as PDF exports): SQLite's blob, PostgreSQL's bytea. Both read back as a Buffer. */
  readonly binaryType: 'blob' | 'bytea';
  /**
   * Rows each incident counter is spread over. PostgreSQL: concurrent transactions that change
   * incidents of the same status, severity and owner would otherwise queue on one row lock until
   * each commits; with shards they mostly take different rows (readers add the rows up). SQLite
   * has one writer and needs one row.
   */
  readonly counterShards: number;
  /** Creates the full-text index over incidents' titles and descriptions (used by a migration). */
  createIncidentSearch(db: Kysely<any>): Promise<void>;
  /**
   * A predicate on `incidents`: every word of the search appears in the title or description as
   * the start of a word, ignoring case ("phish camp" finds "Phishing campaign"). Index-backed.
   * With a `plan` (see `textSearchPlan`), a sorted page uses what it found out.
   */
  incidentTextSearch(words: string[], plan?: TextSearchPlan): RawBuilder<SqlBool>;
  /**
   * Reads the text index once, cheaply, to plan a sorted page: the matches themselves when there
   * are fewer than `cap` (of any workspace), else that there are many. Absent where the query
   * planner weighs this itself (PostgreSQL).
   */
  textSearchPlan?(db: Executor, words: string[], cap: number): Promise<TextSearchPlan>;
  /**
   * Runs one sorted page's read without parallel workers (PostgreSQL: starting them costs more than
   * a page of 50 saves — an analytics-rule filter over a million incidents took 95 ms with two
   * workers and 48 ms without, on 2 cores). SQLite reads in one thread anyway.
   */
  pageRead<T>(db: Executor, read: (db: Executor) => Promise<T>): Promise<T>;
}

/**
 * What a sorted page knows of a text search before it runs: its few matches (row ids: fetch and
 * sort just those), or that they are many (walk the sort order's index and test each row).
 */
export type TextSearchPlan = { rowids: number[] } | { many: true };

/** An FTS5 query: every word as the start of a word (a phrase prefix, so "host-1234" keeps its order). */
const ftsQuery = (words: string[]) => words.map((w) => `"${w}"*`).join(' ');

/** The words of a search text (letters and digits), at most 10. */
export function searchWords(text: string): string[] {
  return (text.toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
}

/** The dialect of a Kysely handle (for migrations, which receive only the handle). */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresDialect : sqliteDialect;
}

/** Escapes LIKE wildcards so user text matches literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  maxParameters: 32_000,
  supportsRowLocks: false,
  async lockWorkspace() {},
  clusteredByKey: sql`without rowid`,
  binaryType: 'blob',
  counterShards: 1,
  async createIncidentSearch(db) {
    // An external-content FTS5 index kept in step by triggers; the text stays only in incidents.
    await sql`create virtual table incidents_fts using fts5(title, description, content='incidents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0')`.execute(
      db,
    );
    await sql`create trigger incidents_fts_insert after insert on incidents begin
      insert into incidents_fts(rowid, title, description) values (new.rowid, new.title, new.description); end`.execute(db);
    await sql`create trigger incidents_fts_delete after delete on incidents begin
      insert into incidents_fts(incidents_fts, rowid, title, description) values ('delete', old.rowid, old.title, old.description); end`.execute(
      db,
    );
    await sql`create trigger incidents_fts_update after update of title, description on incidents
      when old.title is not new.title or old.description is not new.description begin
      insert into incidents_fts(incidents_fts, rowid, title, description) values ('delete', old.rowid, old.title, old.description);
      insert into incidents_fts(rowid, title, description) values (new.rowid, new.title, new.description); end`.execute(db);
  },
  incidentTextSearch(words, plan) {
    if (plan && 'rowids' in plan)
      return sql<SqlBool>`incidents.rowid in (select value from json_each(${JSON.stringify(plan.rowids)}))`;
    // With many matches a unary + keeps SQLite from driving the query by rowid from the matches
    // (then sorting them all): it walks the sort order's index and tests each row instead.
    const rowid = plan ? sql`+incidents.rowid` : sql`incidents.rowid`;
    return sql<SqlBool>`${rowid} in (select rowid from incidents_fts where incidents_fts match ${ftsQuery(words)})`;
  },
  async textSearchPlan(db, words, cap) {
    const { rows } = await sql<{
      rowid: number;
    }>`select rowid from incidents_fts where incidents_fts match ${ftsQuery(words)} limit ${cap}`.execute(db);
    return rows.length < cap ? { rowids: rows.map((r) => r.rowid) } : { many: true };
  },
  pageRead(db, read) {
    return read(db);
  },
  async maintain(db) {
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`pragma optimize = 0x10002`.execute(db);
  },
  containsInsensitive(column, text) {
    // SQLite's LIKE folds ASCII only; vigil_fold (registered on the connection) folds Unicode.
    return sql<SqlBool>`vigil_fold(${column}) like ${likePattern(text.toLocaleLowerCase())} escape '\\'`;
  },
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  maxParameters: 65_000,
  supportsRowLocks: true,
  async maintain() {},
  clusteredByKey: sql``,
  binaryType: 'bytea',
  counterShards: 16,
  async createIncidentSearch(db) {
    await sql`create index incidents_search on incidents using gin (to_tsvector('simple', title || ' ' || description))`.execute(
      db,
    );
  },
  incidentTextSearch(words) {
    const query = words.map((w) => `${w}:*`).join(' & ');
    return sql<SqlBool>`to_tsvector('simple', incidents.title || ' ' || incidents.description) @@ to_tsquery('simple', ${query})`;
  },
  async pageRead(db, read) {
    const serial = async (trx: Executor) => {
      await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
      return read(trx);
    };
    return db.isTransaction ? serial(db) : db.transaction().setAccessMode('read only').execute(serial);
  },
  async lockWorkspace(trx, workspaceId) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`vigil:workspace:${workspaceId}`}, 0))`.execute(trx);
  },
  containsInsensitive(column, text) {
    return sql<SqlBool>`${column} ilike ${likePattern(text)}`;
  },
};

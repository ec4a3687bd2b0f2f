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
  /**
   * Creates the full-text index over incidents' titles and descriptions (used by migration 0001;
   * on PostgreSQL, 0011 replaces it with one over `POSTGRES_SEARCH_DOCUMENT`).
   */
  createIncidentSearch(db: Kysely<any>): Promise<void>;
  /**
   * A predicate on `incidents`: every term of the search (see `searchTerms`) appears in the title
   * or description, its last word as the start of a word, ignoring case ("phish camp" finds
   * "Phishing campaign"; "10.0.0.1" finds those four words in that order). Index-backed.
   * With a `plan` (see `textSearchPlan`), a sorted page uses what it found out.
   */
  incidentTextSearch(terms: SearchTerm[], plan?: TextSearchPlan): RawBuilder<SqlBool>;
  /**
   * Reads the text index once, cheaply, to plan a sorted page: the matches themselves when there
   * are fewer than `cap` (of any workspace), else that there are many. Call it inside `pageRead`.
   */
  textSearchPlan(db: Executor, terms: SearchTerm[], cap: number): Promise<TextSearchPlan>;
  /**
   * Runs one sorted page's read without parallel workers (PostgreSQL: starting them costs more than
   * a page of 50 saves — an analytics-rule filter over a million incidents took 95 ms with two
   * workers and 48 ms without, on 2 cores). SQLite reads in one thread anyway.
   */
  pageRead<T>(db: Executor, read: (db: Executor) => Promise<T>): Promise<T>;
}

/**
 * What a sorted page knows of a text search before it runs: its few matches (SQLite row ids or
 * PostgreSQL incident ids: fetch and sort just those), or that they are many (walk the sort
 * order's index and test each row).
 */
export type TextSearchPlan = { rowids: number[] } | { ids: string[] } | { many: true };

/**
 * One piece of a search text between spaces, as its words (runs of letters and digits, lower
 * case). Several words joined by punctuation ("10.0.0.1", "host-1234", "evil.example.com") are a
 * phrase: they must follow one another in that order.
 */
export type SearchTerm = string[];

/** The terms of a search text, at most 10 words in all. */
export function searchTerms(text: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  let words = 0;
  for (const piece of text.toLocaleLowerCase().split(/\s+/u)) {
    const term = (piece.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10 - words);
    if (term.length === 0) continue;
    terms.push(term);
    words += term.length;
    if (words === 10) break;
  }
  return terms;
}

/** An FTS5 query: each term a phrase whose last word is a prefix (FTS5 ANDs the phrases). */
const ftsQuery = (terms: SearchTerm[]) => terms.map((words) => `"${words.join(' ')}"*`).join(' ');

/** A PostgreSQL tsquery: each term a phrase (`<->`) whose last word is a prefix (`:*`), ANDed. */
const tsQuery = (terms: SearchTerm[]) =>
  terms.map((words) => `(${words.map((w, i) => (i === words.length - 1 ? `'${w}':*` : `'${w}'`)).join(' <-> ')})`).join(' & ');

/**
 * PostgreSQL's text-search document of an incident: title and description with ASCII punctuation
 * read as spaces, so its words are runs of letters and digits as in SQLite's FTS5 and in
 * `searchTerms` (PostgreSQL's parser alone keeps "10.0.0.1" or "evil.example.com" as one word and
 * reads "host-1234" as "host" and "-1234", so their parts were not found). A literal, not bound
 * parameters, so the planner recognizes the expression of the index migration 0011 creates.
 */
const POSTGRES_SEARCH_DOCUMENT = sql.raw(
  `to_tsvector('simple', translate(incidents.title || ' ' || incidents.description, '!"#$%&''()*+,-./:;<=>?@[\\]^_\`{|}~', '${' '.repeat(32)}'))`,
);

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
  incidentTextSearch(terms, plan) {
    if (plan && 'rowids' in plan)
      return sql<SqlBool>`incidents.rowid in (select value from json_each(${JSON.stringify(plan.rowids)}))`;
    // With many matches a unary + keeps SQLite from driving the query by rowid from the matches
    // (then sorting them all): it walks the sort order's index and tests each row instead.
    const rowid = plan ? sql`+incidents.rowid` : sql`incidents.rowid`;
    return sql<SqlBool>`${rowid} in (select rowid from incidents_fts where incidents_fts match ${ftsQuery(terms)})`;
  },
  async textSearchPlan(db, terms, cap) {
    const { rows } = await sql<{
      rowid: number;
    }>`select rowid from incidents_fts where incidents_fts match ${ftsQuery(terms)} limit ${cap}`.execute(db);
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
  incidentTextSearch(terms, plan) {
    if (plan && 'ids' in plan) return sql<SqlBool>`incidents.id = any(${plan.ids})`;
    return sql<SqlBool>`${POSTGRES_SEARCH_DOCUMENT} @@ to_tsquery('simple', ${tsQuery(terms)})`;
  },
  async textSearchPlan(db, terms, cap) {
    // The planner cannot tell how many incidents a prefix or a phrase matches (it guesses 2%: a word
    // found nowhere walked all of a million incidents, 17 s), and reading the GIN index for a common
    // word costs ~100 ms. So: words the index's statistics call common are not read; others are.
    const estimate = await estimateMatches(db, terms);
    if (estimate < cap) {
      // Read the GIN index alone: index scans (of the sort orders) and table scans are off for it.
      await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`.execute(db);
      const { rows } = await sql<{ id: string }>`select id from incidents
        where ${POSTGRES_SEARCH_DOCUMENT} @@ to_tsquery('simple', ${tsQuery(terms)}) limit ${cap}`.execute(db);
      await sql`select set_config('enable_seqscan', 'on', true), set_config('enable_indexscan', 'on', true)`.execute(db);
      if (rows.length < cap) return { ids: rows.map((r) => r.id) };
    }
    // Many: the page walks its sort order's index testing each row; no bitmap of every match.
    await sql`select set_config('enable_bitmapscan', 'off', true)`.execute(db);
    return { many: true };
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

/**
 * How many incidents (of any workspace) a search may match, from the search index's statistics
 * (its most common words and their frequencies, kept by ANALYZE): terms multiply, a phrase counts
 * as its rarest word, a prefix as every common word it starts. A word not among the common ones is
 * rarer than all of them and counts as 0, so the index is read.
 */
async function estimateMatches(db: Executor, terms: SearchTerm[]): Promise<number> {
  const words = terms.flat();
  const prefixes = terms.flatMap((term) => term.map((_, i) => i === term.length - 1));
  const { rows } = await sql<{ frequency: number; total: number }>`with common as (
      select m.word, m.frequency from pg_stats s cross join lateral
        unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs[1:array_length(s.most_common_elems, 1)]) as m(word, frequency)
      where s.schemaname = current_schema() and s.tablename = 'incidents_search')
    select (select least(coalesce(sum(c.frequency), 0), 1) from common c
        where case when w.prefix then starts_with(c.word, w.word) else c.word = w.word end) as frequency,
      (select reltuples from pg_class where oid = 'incidents'::regclass) as total
    from unnest(${words}::text[], ${prefixes}::boolean[]) with ordinality as w(word, prefix, n) order by w.n`.execute(db);
  let fraction = 1;
  let at = 0;
  for (const term of terms) {
    const frequencies = rows.slice(at, at + term.length).map((r) => r.frequency);
    at += term.length;
    fraction *= Math.min(...frequencies);
  }
  return fraction * Math.max(rows[0]?.total ?? 0, 0);
}

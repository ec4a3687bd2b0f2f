import { CompiledQuery } from 'kysely';
import type { Dialect, Executor } from './dialect.js';
import { preparedStatement } from './prepared-statements.js';
import type { Database } from './schema.js';

const MAX_ROWS_PER_STATEMENT = 256;
const sqlCache = new Map<string, string>();

/** Keeps a statement text made once for `key`; on PostgreSQL it also runs as a prepared statement. */
function remember(dialect: Dialect, key: string, text: string): string {
  if (dialect.name === 'postgres') preparedStatement(text);
  sqlCache.set(key, text);
  return text;
}

function statementSql(dialect: Dialect, table: string, columns: string[], rows: number, suffix: string): string {
  const key = `${dialect.name}|${table}|${columns.join(',')}|${rows}|${suffix}`;
  let text = sqlCache.get(key);
  if (!text) {
    let n = 0;
    const placeholder = dialect.name === 'postgres' ? () => `$${++n}` : () => '?';
    const tuple = () => `(${columns.map(placeholder).join(',')})`;
    text =
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ` +
      Array.from({ length: rows }, tuple).join(',') +
      suffix;
    remember(dialect, key, text);
  }
  return text;
}

/**
 * Runs a statement written once: `?` marks its parameters (numbered `$1…` on PostgreSQL). For hot
 * paths, where building the query with Kysely on every call costs more than running it. Returns
 * the rows it reads or returns (RETURNING).
 */
export async function runStatement<R>(trx: Executor, dialect: Dialect, text: string, parameters: unknown[]): Promise<R[]> {
  const key = `raw|${dialect.name}|${text}`;
  let compiled = sqlCache.get(key);
  if (!compiled) {
    let n = 0;
    compiled = remember(dialect, key, dialect.name === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text);
  }
  const result = await trx.executeQuery<R>(CompiledQuery.raw(compiled, parameters));
  return result.rows as R[];
}

/**
 * Updates the row matching `where` with the values of `set`, through SQL made once per column set
 * (so the driver's prepared-statement cache hits). Returns how many rows changed.
 */
export async function updateRow<T extends keyof Database>(
  trx: Executor,
  dialect: Dialect,
  table: T,
  set: Partial<Database[T]>,
  where: Partial<Database[T]>,
): Promise<number> {
  const setColumns = Object.keys(set);
  const whereColumns = Object.keys(where);
  const key = `update|${dialect.name}|${table}|${setColumns.join(',')}|${whereColumns.join(',')}`;
  let text = sqlCache.get(key);
  if (!text) {
    let n = 0;
    const placeholder = dialect.name === 'postgres' ? () => `$${++n}` : () => '?';
    text =
      `update "${table}" set ${setColumns.map((c) => `"${c}" = ${placeholder()}`).join(', ')} ` +
      `where ${whereColumns.map((c) => `"${c}" = ${placeholder()}`).join(' and ')}`;
    remember(dialect, key, text);
  }
  const values = [...Object.values(set), ...Object.values(where)].map((v) => v ?? null);
  const result = await trx.executeQuery(CompiledQuery.raw(text, values));
  return Number(result.numAffectedRows ?? 0);
}

const EXACT_CHUNK_LIMIT = 16;

/**
 * Chunk sizes that keep the set of distinct statements small: full chunks, then the remainder in
 * one chunk when it is small, else in powers of two.
 */
function chunkSizes(total: number, maxRows: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left >= maxRows) {
    sizes.push(maxRows);
    left -= maxRows;
  }
  // Small remainders (a run's step records, a few tasks) in one statement of their exact size.
  if (left > 0 && left <= EXACT_CHUNK_LIMIT) return [...sizes, left];
  for (let size = 1 << Math.floor(Math.log2(Math.max(1, maxRows))); size >= 1 && left > 0; size >>= 1) {
    if (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

/**
 * Inserts many rows in few statements. Faster than building each INSERT with Kysely: the SQL of
 * each chunk size is made once (so the driver's prepared-statement cache hits) and values go in
 * as a flat parameter list. All rows must have the same columns.
 */
export async function insertRows<T extends keyof Database>(
  trx: Executor,
  dialect: Dialect,
  table: T,
  rows: Database[T][],
  options: { onConflictDoNothing?: boolean } = {},
): Promise<void> {
  await writeRows(trx, dialect, table, rows, options.onConflictDoNothing ? ' on conflict do nothing' : '');
}

/**
 * Inserts rows or, where the key exists, updates them: the `update` map gives each updated
 * column's SQL expression over the existing row (`"table".col`) and the new one (`excluded.col`).
 * One statement per chunk instead of one UPDATE per row (which costs a round trip each on PostgreSQL).
 */
export async function upsertRows<T extends keyof Database>(
  trx: Executor,
  dialect: Dialect,
  table: T,
  rows: Database[T][],
  key: (keyof Database[T] & string)[],
  update: Partial<Record<keyof Database[T] & string, string>>,
): Promise<void> {
  const set = Object.entries(update)
    .map(([column, expression]) => `"${column}" = ${expression as string}`)
    .join(', ');
  await writeRows(trx, dialect, table, rows, ` on conflict (${key.map((c) => `"${c}"`).join(', ')}) do update set ${set}`);
}

/** `excluded.<column>` for each column: an upsert that overwrites them with the new values. */
export function overwrite<C extends string>(columns: C[]): Record<C, string> {
  return Object.fromEntries(columns.map((c) => [c, `excluded."${c}"`])) as Record<C, string>;
}

async function writeRows(trx: Executor, dialect: Dialect, table: string, rows: object[], suffix: string): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const maxRows = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(dialect.maxParameters / columns.length));
  let offset = 0;
  for (const size of chunkSizes(rows.length, maxRows)) {
    const parameters: unknown[] = new Array(size * columns.length);
    let p = 0;
    for (let r = offset; r < offset + size; r += 1) {
      const row = rows[r] as Record<string, unknown>;
      for (const column of columns) parameters[p++] = row[column] ?? null;
    }
    await trx.executeQuery(CompiledQuery.raw(statementSql(dialect, table, columns, size, suffix), parameters));
    offset += size;
  }
}

import type pg from 'pg';

/**
 * Statement texts run again and again with new values (the bulk writers' inserts, upserts and
 * updates, bulk.ts). On PostgreSQL they run as named prepared statements, so the server parses,
 * analyzes and plans each text once per connection instead of on every call: for the multi-row
 * inserts of an ingest batch that was a seventh of the server's time. Each text has one name in
 * the process, so every pooled connection agrees on what a name means.
 */
const names = new Map<string, string>();

/** More distinct texts than the bulk writers make; past it, texts run unprepared (each connection keeps what it prepared). */
const MAX_PREPARED = 2_000;

/** Marks a statement text to be prepared on PostgreSQL; returns the text. */
export function preparedStatement(text: string): string {
  if (!names.has(text) && names.size < MAX_PREPARED) names.set(text, `vigil_${names.size + 1}`);
  return text;
}

/**
 * Makes a pooled client run marked texts as named prepared statements (node-postgres sends the
 * text once per connection, then only the name and values). Call for each new client.
 */
export function usePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof text === 'string' ? names.get(text) : undefined;
    if (name === undefined) return query(text, values, callback);
    return query({ name, text, values }, callback);
  }) as typeof client.query;
}

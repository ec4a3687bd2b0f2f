import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * On PostgreSQL, the incidents' text-search index reads ASCII punctuation as spaces, so that its
 * words are runs of letters and digits, as SQLite's FTS5 reads them. PostgreSQL's own parser kept
 * "10.0.0.1", "evil.example.com" and "user@corp.com" as single words and read "host-1234" as "host"
 * and "-1234", so a search for an address, a domain or a host name found nothing. The expression
 * must stay exactly the one the queue searches (`POSTGRES_SEARCH_DOCUMENT` in storage/dialect.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db).name !== 'postgres') return;
  await sql`drop index incidents_search`.execute(db);
  await sql`create index incidents_search on incidents using gin (to_tsvector('simple', translate(title || ' ' || description, '!"#$%&''()*+,-./:;<=>?@[\\]^_\`{|}~', '                                ')))`.execute(
    db,
  );
}

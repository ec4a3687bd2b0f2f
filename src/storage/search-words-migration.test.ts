import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/databases.js';
import { migratorUpTo } from '../../test/support/migrations.js';
import { insertIncidentRow, insertWorkspaceRow } from '../../test/support/raw-rows.js';
import { dialectOf, searchTerms } from './dialect.js';

describe.each(testDialects())('migration 0011-postgres-search-words [%s]', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it('finds addresses, domains and host names in incidents written before it, through the index', async () => {
    database = await createTestDatabase(dialect);
    const storage = database.open();
    try {
      expect((await migratorUpTo(storage.db, '0010-postgres-child-row-checks').migrateToLatest()).error).toBeUndefined();
      await insertWorkspaceRow(storage.db, 'w');
      await insertIncidentRow(storage.db, {
        workspaceId: 'w',
        id: 'a',
        number: 1,
        title: 'Beacon from host-1234 to 10.0.0.1',
        description: 'DNS query for evil.example.com',
      });
      await insertIncidentRow(storage.db, {
        workspaceId: 'w',
        id: 'b',
        number: 2,
        title: 'Scan of 10.0.0.10',
        description: 'From 1234 host',
      });
      expect((await migratorUpTo(storage.db, '0011-postgres-search-words').migrateToLatest()).error).toBeUndefined();

      const search = dialectOf(storage.db);
      const found = async (text: string) => {
        const rows = await storage.db
          .selectFrom('incidents')
          .select('id')
          .where(search.incidentTextSearch(searchTerms(text)))
          .orderBy('id')
          .execute();
        return rows.map((r) => r.id);
      };
      expect(await found('10.0.0.1')).toEqual(['a', 'b']);
      expect(await found('10.0.0.10')).toEqual(['b']);
      expect(await found('HOST-1234')).toEqual(['a']);
      expect(await found('host 1234')).toEqual(['a', 'b']);
      expect(await found('example.com beacon')).toEqual(['a']);
      expect(await found('example.org')).toEqual([]);

      if (dialect === 'postgres') {
        const plan = await storage.db.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          const query = trx
            .selectFrom('incidents')
            .select('id')
            .where(search.incidentTextSearch(searchTerms('10.0.0.1')));
          const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx);
          return rows.map((r) => r['QUERY PLAN']).join('\n');
        });
        expect(plan).toContain('incidents_search');
      }
    } finally {
      await storage.close();
    }
  });
});

describe('searchTerms', () => {
  it('splits on spaces into phrases of letters and digits, lower case, at most 10 words', () => {
    expect(searchTerms('  Host-1234   10.0.0.1 ÜBER%  %% ')).toEqual([['host', '1234'], ['10', '0', '0', '1'], ['über']]);
    expect(searchTerms('a b c d e f.g.h.i.j.k.l')).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], ['f', 'g', 'h', 'i', 'j']]);
    expect(searchTerms('%')).toEqual([]);
  });
});

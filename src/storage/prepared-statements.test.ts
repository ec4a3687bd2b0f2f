import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { runStatement } from './bulk.js';
import type { Storage } from './database.js';

describe.skipIf(!process.env.TEST_DATABASE_URL)('prepared statements on PostgreSQL', () => {
  let database: TestDatabase;
  let storage: Storage;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    storage = database.open();
    await sql`create table prepared_probe (v text not null)`.execute(storage.db);
  });
  afterAll(async () => {
    await storage.close();
    await database.drop();
  });

  it('runs a bulk writer statement as a named prepared statement, once parsed per connection, with each call its own values', async () => {
    const text = 'insert into prepared_probe (v) values (?), (?)';
    const prepared = await storage.db.transaction().execute(async (trx) => {
      await runStatement(trx, storage.dialect, text, ['a', 'b']);
      await runStatement(trx, storage.dialect, text, ['c', 'd']);
      // The same connection: the transaction holds it.
      return sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx);
    });
    expect(prepared.rows).toEqual([
      { name: expect.stringMatching(/^vigil_\d+$/), statement: 'insert into prepared_probe (v) values ($1), ($2)' },
    ]);
    const values = await sql<{ v: string }>`select v from prepared_probe order by v`.execute(storage.db);
    expect(values.rows.map((r) => r.v)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('leaves other statements (built per call, of any shape) unprepared', async () => {
    const prepared = await storage.db.transaction().execute(async (trx) => {
      await sql`insert into prepared_probe (v) values (${'e'})`.execute(trx);
      return sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx);
    });
    expect(prepared.rows.map((r) => r.statement)).toEqual(['insert into prepared_probe (v) values ($1), ($2)']);
  });
});

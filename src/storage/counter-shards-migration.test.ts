import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/databases.js';
import { migratorUpTo } from '../../test/support/migrations.js';

describe.each(testDialects())('migration 0008-counter-shards [%s]', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it('keeps the incident counts as shard 0 and lets several shards of one key be written', async () => {
    database = await createTestDatabase(dialect);
    const storage = database.open();
    try {
      const migrator = (upTo: string) => migratorUpTo(storage.db, upTo);
      expect((await migrator('0007-notifications').migrateToLatest()).error).toBeUndefined();
      await sql`insert into workspaces (id, name, settings, next_incident_number, created_at, updated_at, version)
        values ('w', 'W', '{}', 1, 0, 0, 1)`.execute(storage.db);
      await sql`insert into incident_counts (workspace_id, status, severity, owner_id, count)
        values ('w', 'New', 'High', '', 7), ('w', 'Closed', 'Low', 'u1', 3)`.execute(storage.db);
      expect((await migrator('0008-counter-shards').migrateToLatest()).error).toBeUndefined();
      const rows = await storage.db.selectFrom('incident_counts').selectAll().orderBy('status').execute();
      expect(rows.map((r) => [r.status, r.severity, r.owner_id, Number(r.shard), Number(r.count)])).toEqual([
        ['Closed', 'Low', 'u1', 0, 3],
        ['New', 'High', '', 0, 7],
      ]);
      await storage.db
        .insertInto('incident_counts')
        .values({ workspace_id: 'w', status: 'New', severity: 'High', owner_id: '', shard: 3, count: 2 })
        .execute();
      const total = await storage.db
        .selectFrom('incident_counts')
        .select(sql<number>`sum(count)`.as('n'))
        .where('status', '=', 'New')
        .executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(9);
    } finally {
      await storage.close();
    }
  });
});

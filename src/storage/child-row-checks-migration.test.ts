import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/databases.js';
import { migratorUpTo } from '../../test/support/migrations.js';
import { UNCHECKED_INCIDENT_REFERENCES } from './migrations/0010-postgres-child-row-checks.js';

const orphanTask = sql`insert into tasks (workspace_id, id, incident_id, position, title, description, status,
  created_by_type, created_by_id, created_by_name, last_modified_by, created_at, updated_at, version)
  values ('w', 't1', 'no-such-incident', 1, 'T', '', 'New', 'user', 'u', 'U', '', 0, 0, 1)`;

describe.each(testDialects())('migration 0010-postgres-child-row-checks [%s]', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it("drops only the bulk tables' incident checks on PostgreSQL; SQLite still refuses a row naming no incident", async () => {
    database = await createTestDatabase(dialect);
    const storage = database.open();
    try {
      expect((await migratorUpTo(storage.db, '0010-postgres-child-row-checks').migrateToLatest()).error).toBeUndefined();
      await sql`insert into workspaces (id, name, settings, next_incident_number, created_at, updated_at, version)
        values ('w', 'W', '{}', 1, 0, 0, 1)`.execute(storage.db);
      if (dialect === 'postgres') {
        const { rows } = await sql<{ name: string }>`select conname as name from pg_constraint where contype = 'f'`.execute(
          storage.db,
        );
        const names = rows.map((r) => r.name);
        for (const [, constraint] of UNCHECKED_INCIDENT_REFERENCES) expect(names).not.toContain(constraint);
        // Low-volume references keep their checks.
        expect(names).toEqual(
          expect.arrayContaining(['comments_incident', 'incident_exports_incident', 'incidents_workspace_id_fkey']),
        );
        await orphanTask.execute(storage.db);
      } else {
        await expect(orphanTask.execute(storage.db)).rejects.toThrow(/FOREIGN KEY constraint failed/);
      }
    } finally {
      await storage.close();
    }
  });
});

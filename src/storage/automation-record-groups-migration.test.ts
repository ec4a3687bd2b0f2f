import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/databases.js';
import { migratorUpTo } from '../../test/support/migrations.js';

describe.each(testDialects())('migration 0009-automation-record-groups [%s]', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it("keeps every run of the old run log, each as a group of one, in each rule's order; activity rows stay single", async () => {
    database = await createTestDatabase(dialect);
    const storage = database.open();
    try {
      const migrator = (upTo: string) => migratorUpTo(storage.db, upTo);
      expect((await migrator('0008-counter-shards').migrateToLatest()).error).toBeUndefined();
      // More runs than one copy page (500), over two rules.
      const runs = Array.from({ length: 620 }, (_, i) => ({
        workspace_id: 'w',
        rule_id: i % 2 === 0 ? 'r-even' : 'r-odd',
        id: `run-${String(i).padStart(4, '0')}`,
        rule_name: i % 2 === 0 ? 'Even' : 'Odd',
        incident_id: i === 7 ? null : `inc-${i}`,
        alert_id: i === 7 ? 'alert-7' : null,
        trigger_kind: i === 7 ? 'alertCreated' : 'incidentCreated',
        outcome: 'applied',
        results: JSON.stringify([{ index: 0, type: 'addTags', outcome: 'applied' }]),
        created_at: 1000 + i,
      }));
      for (let i = 0; i < runs.length; i += 100) {
        await storage.db
          .insertInto('automation_rule_runs' as never)
          .values(runs.slice(i, i + 100) as never)
          .execute();
      }
      await sql`insert into workspaces (id, name, settings, next_incident_number, created_at, updated_at, version)
        values ('w', 'W', '{}', 1, 0, 0, 1)`.execute(storage.db);
      expect((await migrator('0009-automation-record-groups').migrateToLatest()).error).toBeUndefined();

      const groups = await storage.db
        .selectFrom('automation_rule_run_groups')
        .selectAll()
        .orderBy('rule_id')
        .orderBy('id')
        .execute();
      expect(groups).toHaveLength(620);
      expect(groups.filter((g) => g.rule_id === 'r-even').map((g) => g.id)).toEqual(
        runs.filter((r) => r.rule_id === 'r-even').map((r) => r.id),
      );
      const seventh = groups.find((g) => g.id === 'run-0007')!;
      expect(seventh).toMatchObject({ rule_id: 'r-odd', rule_name: 'Odd', trigger_kind: 'alertCreated', run_count: 1 });
      expect(Number(seventh.created_at)).toBe(1007);
      expect(JSON.parse(seventh.action_types)).toEqual(['addTags']);
      expect(JSON.parse(seventh.runs)).toEqual([
        { alertId: 'alert-7', outcome: 'applied', results: [{ index: 0, type: 'addTags', outcome: 'applied' }] },
      ]);
      expect(JSON.parse(groups.find((g) => g.id === 'run-0008')!.runs)[0].incidentId).toBe('inc-8');
      const tables = await storage.db.introspection.getTables();
      expect(tables.some((t) => t.name === 'automation_rule_runs')).toBe(false);
      const activity = tables.find((t) => t.name === 'activity')!;
      expect(activity.columns.find((c) => c.name === 'entries')).toMatchObject({ isNullable: true });
    } finally {
      await storage.close();
    }
  });
});

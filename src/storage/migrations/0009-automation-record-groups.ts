import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * What automation rules record is grouped, so a batch of alerts that fires many rules writes few rows:
 *
 * - An automation rule's run log keeps one row per rule per write instead of one per run (a batch
 *   of 1,000 alerts that fires 50 rules writes 50 rows, not thousands). `runs` holds that write's
 *   runs in order (incident or alert, outcome, what each action did unless every action of
 *   `action_types` was applied). Existing runs become groups of one, with their results.
 * - An activity row may hold several entries (`entries`): those the automation rules made on one
 *   incident in one write, one per rule, in the order the rules ran. Other rows keep it null.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activity').addColumn('entries', 'text').execute();

  await db.schema
    .createTable('automation_rule_run_groups')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('action_types', 'text', (c) => c.notNull())
    .addColumn('run_count', 'integer', (c) => c.notNull())
    .addColumn('runs', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('automation_rule_run_groups_pk', ['workspace_id', 'rule_id', 'id'])
    .modifyEnd(dialectOf(db).clusteredByKey)
    .execute();

  // Copied in key order, a page at a time, so a long run log does not sit in memory at once.
  let after: { workspace_id: string; rule_id: string; id: string } | null = null;
  for (;;) {
    let query = db.selectFrom('automation_rule_runs').selectAll();
    if (after) {
      const { workspace_id, rule_id, id } = after;
      query = query.where((eb) =>
        eb.or([
          eb('workspace_id', '>', workspace_id),
          eb.and([eb('workspace_id', '=', workspace_id), eb('rule_id', '>', rule_id)]),
          eb.and([eb('workspace_id', '=', workspace_id), eb('rule_id', '=', rule_id), eb('id', '>', id)]),
        ]),
      );
    }
    const rows = await query.orderBy('workspace_id').orderBy('rule_id').orderBy('id').limit(500).execute();
    if (rows.length === 0) break;
    await db
      .insertInto('automation_rule_run_groups')
      .values(
        rows.map((row) => {
          const results = JSON.parse(row.results) as { type: string }[];
          const run: Record<string, unknown> = { outcome: row.outcome, results };
          if (row.incident_id) run.incidentId = row.incident_id;
          if (row.alert_id) run.alertId = row.alert_id;
          return {
            workspace_id: row.workspace_id,
            rule_id: row.rule_id,
            id: row.id,
            rule_name: row.rule_name,
            trigger_kind: row.trigger_kind,
            action_types: JSON.stringify(results.map((r) => r.type)),
            run_count: 1,
            runs: JSON.stringify([run]),
            created_at: row.created_at,
          };
        }),
      )
      .execute();
    const last = rows[rows.length - 1]!;
    after = { workspace_id: last.workspace_id, rule_id: last.rule_id, id: last.id };
  }
  await db.schema.dropTable('automation_rule_runs').execute();
}

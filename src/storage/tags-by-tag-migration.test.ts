import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/databases.js';
import { migratorUpTo } from '../../test/support/migrations.js';
import { insertIncidentRow, insertWorkspaceRow } from '../../test/support/raw-rows.js';
import { countIncidents, queryIncidentPage } from '../incidents/incident-queue.js';
import { listTagsInUse } from '../incidents/incident-repository.js';
import { dialectOf } from './dialect.js';

describe.each(testDialects())('migration 0012-incident-tags-by-tag [%s]', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it('keeps every tag row, and the queue finds incidents by tag through the one key', async () => {
    database = await createTestDatabase(dialect);
    const storage = database.open();
    try {
      expect((await migratorUpTo(storage.db, '0011-postgres-search-words').migrateToLatest()).error).toBeUndefined();
      await insertWorkspaceRow(storage.db, 'w');
      for (const [number, id] of ['a', 'b', 'c'].entries()) {
        await insertIncidentRow(storage.db, { workspaceId: 'w', id, number: number + 1, title: `incident ${id}` });
      }
      const tag = async (incidentId: string, kind: string, value: string) =>
        sql`insert into incident_tags (workspace_id, incident_id, kind, tag_key, tag)
          values ('w', ${incidentId}, ${kind}, ${value.toLowerCase()}, ${value})`.execute(storage.db);
      await tag('a', 'custom', 'Phishing');
      await tag('a', 'system', 'reopened');
      await tag('b', 'custom', 'phishing');
      await tag('b', 'custom', 'VIP');
      await tag('c', 'custom', 'vip');
      expect((await migratorUpTo(storage.db, '0012-incident-tags-by-tag').migrateToLatest()).error).toBeUndefined();

      const rows = await storage.db
        .selectFrom('incident_tags')
        .select(['incident_id', 'kind', 'tag_key', 'tag'])
        .orderBy('incident_id')
        .orderBy('tag_key')
        .execute();
      expect(rows).toEqual([
        { incident_id: 'a', kind: 'custom', tag_key: 'phishing', tag: 'Phishing' },
        { incident_id: 'a', kind: 'system', tag_key: 'reopened', tag: 'reopened' },
        { incident_id: 'b', kind: 'custom', tag_key: 'phishing', tag: 'phishing' },
        { incident_id: 'b', kind: 'custom', tag_key: 'vip', tag: 'VIP' },
        { incident_id: 'c', kind: 'custom', tag_key: 'vip', tag: 'vip' },
      ]);

      const queue = dialectOf(storage.db);
      const page = async (tags: string[]) =>
        (
          await queryIncidentPage(storage.db, queue, { workspaceIds: ['w'], tags }, { sort: 'number', order: 'asc', limit: 50 })
        ).records.map((r) => r.id);
      expect(await page(['PHISHING'])).toEqual(['a', 'b']);
      expect(await page(['vip', 'reopened'])).toEqual(['a', 'b', 'c']);
      expect(await page(['nothing'])).toEqual([]);
      expect((await countIncidents(storage.db, queue, { workspaceIds: ['w'], tags: ['vip'] })).total).toBe(2);
      expect(await listTagsInUse(storage.db, 'w', { limit: 10 })).toEqual([
        { tag: 'Phishing', count: 2, system: false },
        { tag: 'VIP', count: 2, system: false },
        { tag: 'reopened', count: 1, system: true },
      ]);

      // A page's test of one incident's tags seeks the key (tag, incident), not a scan of the tags.
      const probe = sql`select 1 from incident_tags m where m.workspace_id = 'w' and m.incident_id = 'a' and m.tag_key in ('vip', 'phishing')`;
      if (dialect === 'sqlite') {
        const { rows: plan } = await sql<{ detail: string }>`explain query plan ${probe}`.execute(storage.db);
        expect(plan.map((r) => r.detail).join('\n')).toMatch(
          /SEARCH m USING PRIMARY KEY \(workspace_id=\? AND tag_key=\? AND incident_id=\?\)/,
        );
      } else {
        const plan = await storage.db.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${probe}`.execute(trx);
          return rows.map((r) => r['QUERY PLAN']).join('\n');
        });
        expect(plan).toContain('incident_tags_pk');
      }
    } finally {
      await storage.close();
    }
  });
});

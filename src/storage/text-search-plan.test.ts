import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/databases.js';
import { insertIncidentRow, insertWorkspaceRow } from '../../test/support/raw-rows.js';
import type { Storage } from './database.js';
import { migrateToLatest } from './migrate.js';
import { searchTerms } from './dialect.js';

const COMMON = 2_100;

describe.each(testDialects())('text search plan [%s]', (dialect) => {
  let database: TestDatabase;
  let storage: Storage;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    storage = database.open();
    await migrateToLatest(storage.db);
    await insertWorkspaceRow(storage.db, 'w');
    await storage.db.transaction().execute(async (trx) => {
      for (let n = 1; n <= COMMON + 3; n += 1) {
        const title = n <= COMMON ? `Malware on host-${n}` : `Beacon from host-${n}`;
        await insertIncidentRow(trx, { workspaceId: 'w', id: `i${n}`, number: n, title });
      }
    });
  });
  afterAll(async () => {
    await storage.close();
    await database.drop();
  });

  const plan = (text: string) =>
    storage.db.transaction().execute((trx) => storage.dialect.textSearchPlan(trx, searchTerms(text), 2_000));
  const count = (result: Awaited<ReturnType<typeof plan>>) =>
    'rowids' in result ? result.rowids.length : 'ids' in result ? result.ids.length : 'many';

  it('lists the matches of a rare phrase, none of a word found nowhere, and calls a common word many', async () => {
    expect(count(await plan('beacon'))).toBe(3);
    expect(count(await plan('host-2101'))).toBe(1);
    // The last word is a prefix: host-210, host-2100 … host-2103.
    expect(count(await plan('HOST-210'))).toBe(5);
    expect(count(await plan('xyzzy'))).toBe(0);
    expect(count(await plan('malware'))).toBe('many');
  });

  it.runIf(dialect === 'postgres')('calls words the statistics know as common many without reading the index', async () => {
    await sql`analyze incidents`.execute(storage.db);
    const calls: string[] = [];
    const traced = storage.db.withPlugin({
      transformQuery: (args) => {
        calls.push(JSON.stringify(args.node));
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const result = await traced.transaction().execute((trx) => storage.dialect.textSearchPlan(trx, searchTerms('malw'), 2_000));
    expect(result).toEqual({ many: true });
    expect(calls.some((c) => c.includes('limit'))).toBe(false);
    expect(count(await plan('beacon'))).toBe(3);
  });
});

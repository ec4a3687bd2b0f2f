import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openStorage, type Storage } from './database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function openTemporary(): Storage {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-settings-'));
  dirs.push(dir);
  return openStorage({ kind: 'sqlite', file: path.join(dir, 'vigil.db') });
}

async function pragma(storage: Storage, name: string): Promise<unknown> {
  const { rows } = await sql.raw(`pragma ${name}`).execute(storage.db);
  return Object.values(rows[0] as Record<string, unknown>)[0];
}

it('opens the embedded database durable, with foreign keys, and its temporary storage in memory', async () => {
  const storage = openTemporary();
  try {
    expect(await pragma(storage, 'journal_mode')).toBe('wal');
    expect(await pragma(storage, 'synchronous')).toBe(2); // FULL
    expect(await pragma(storage, 'foreign_keys')).toBe(1);
    expect(await pragma(storage, 'temp_store')).toBe(2); // MEMORY
  } finally {
    await storage.close();
  }
});

it('undoes only the failing statement of a transaction, from its statement journal in memory', async () => {
  const storage = openTemporary();
  try {
    await sql`create table t (k integer primary key, v text not null)`.execute(storage.db);
    const kept = await storage.db.transaction().execute(async (trx) => {
      await sql`insert into t values (1, ${'a'.repeat(3000)}), (2, ${'b'.repeat(3000)})`.execute(trx);
      // 300 rows over many pages, then a duplicate: the whole statement is undone.
      const rows = Array.from({ length: 300 }, (_, i) => sql`(${i + 10}, ${'c'.repeat(3000)})`);
      await expect(sql`insert into t values ${sql.join([...rows, sql`(2, 'again')`])}`.execute(trx)).rejects.toThrow(/UNIQUE/);
      return (await sql<{ n: number }>`select count(*) as n from t`.execute(trx)).rows[0]!.n;
    });
    expect(kept).toBe(2);
    const { rows } = await sql<{ k: number; v: string }>`select k, substr(v, 1, 1) as v from t order by k`.execute(storage.db);
    expect(rows).toEqual([
      { k: 1, v: 'a' },
      { k: 2, v: 'b' },
    ]);
  } finally {
    await storage.close();
  }
});

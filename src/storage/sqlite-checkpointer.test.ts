import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openStorage } from './database.js';
import { startCheckpointer } from './sqlite-checkpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('copies committed pages from the write-ahead log into the database file in the background', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ckpt-'));
  dirs.push(dir);
  const file = path.join(dir, 'vigil.db');
  const storage = openStorage({ kind: 'sqlite', file });
  await sql`create table t (v text)`.execute(storage.db);
  const before = fs.statSync(file).size;
  await storage.db.transaction().execute(async (trx) => {
    for (let i = 0; i < 200; i += 1) await sql`insert into t values (${'x'.repeat(4000)})`.execute(trx);
  });
  // The main connection no longer checkpoints below 10,000 pages; only the worker can have grown the file.
  const deadline = Date.now() + 5_000;
  while (fs.statSync(file).size <= before + 200 * 4000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(fs.statSync(file).size).toBeGreaterThan(before + 200 * 4000);
  await storage.close();
});

it('stops promptly when the storage closes, even right after opening', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ckpt-'));
  dirs.push(dir);
  const storage = openStorage({ kind: 'sqlite', file: path.join(dir, 'vigil.db') });
  const started = Date.now();
  await storage.close();
  expect(Date.now() - started).toBeLessThan(2_000);
});

it('checkpoints soon after a nudge, without waiting for its interval', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ckpt-'));
  dirs.push(dir);
  const file = path.join(dir, 'vigil.db');
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.pragma('wal_autocheckpoint = 0');
  database.exec('create table t (v text)');
  const checkpointer = startCheckpointer(file, { intervalMs: 60_000, minGapMs: 0 });
  try {
    const insert = database.prepare('insert into t values (?)');
    database.transaction(() => {
      for (let i = 0; i < 200; i += 1) insert.run('x'.repeat(4000));
    })();
    const before = fs.statSync(file).size;
    checkpointer.nudge();
    const deadline = Date.now() + 5_000;
    while (fs.statSync(file).size <= before + 200 * 4000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fs.statSync(file).size).toBeGreaterThan(before + 200 * 4000);
  } finally {
    await checkpointer.stop();
    database.close();
  }
});

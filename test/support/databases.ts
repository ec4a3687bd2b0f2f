import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStorage, type Storage } from '../../src/storage/database.js';

export type DialectName = 'sqlite' | 'postgres';

/** The dialects this run tests: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testDialects(): DialectName[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, empty database of the dialect, and how to throw it away. */
export interface TestDatabase {
  dialect: DialectName;
  target: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  open(): Storage;
  drop(): Promise<void>;
}

/** Creates a fresh database: a temporary SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const suffix = randomBytes(6).toString('hex');
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-test-'));
    const file = path.join(dir, 'vigil.db');
    return {
      dialect,
      target: { kind: 'sqlite', file },
      open: () => openStorage({ kind: 'sqlite', file }),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `vigil_test_${suffix}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    target: { kind: 'postgres', url: url.toString() },
    open: () => openStorage({ kind: 'postgres', url: url.toString() }, { poolSize: 5 }),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

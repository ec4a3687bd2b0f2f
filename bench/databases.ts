import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { StorageTarget } from '../src/config/config.js';

/** A throw-away database for one benchmark. */
export interface BenchDatabase {
  name: string;
  target: StorageTarget;
  dataDir: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server to benchmark against: BENCH_DATABASE_URL, else the local one if it answers. */
export async function postgresServer(): Promise<string | undefined> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    return undefined;
  }
}

/** Creates a fresh SQLite file or PostgreSQL database. */
export async function createBenchDatabase(kind: 'sqlite' | 'postgres', serverUrl?: string): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-'));
  if (kind === 'sqlite') {
    return {
      name: 'SQLite',
      dataDir,
      target: { kind: 'sqlite', file: path.join(dataDir, 'vigil.db') },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `vigil_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return {
    name: 'PostgreSQL',
    dataDir,
    target: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

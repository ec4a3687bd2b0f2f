import { Migrator, type Kysely } from 'kysely';
import { migrations } from './migrations/index.js';

/** The outcome of bringing a database up to date. */
export interface MigrationReport {
  applied: string[];
  current: string[];
}

/** Applies every pending migration, in order. Safe to run from several processes at once. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'vigil_migrations',
    migrationLockTableName: 'vigil_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    current: Object.keys(migrations),
  };
}

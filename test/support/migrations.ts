import { Migrator, type Kysely } from 'kysely';
import { migrations } from '../../src/storage/migrations/index.js';

/** A migrator that knows only the migrations up to `upTo` (by name), to set up data as an older release left it. */
export function migratorUpTo(db: Kysely<any>, upTo: string): Migrator {
  return new Migrator({
    db,
    provider: {
      getMigrations: async () => Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= upTo)),
    },
    migrationTableName: 'vigil_migrations',
    migrationLockTableName: 'vigil_migrations_lock',
  });
}

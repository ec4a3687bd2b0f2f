import { loadConfig } from '../../config/config.js';
import { openStorage } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrate.js';

/** Applies pending database migrations and reports them. */
export async function migrateCommand(): Promise<void> {
  const config = loadConfig(process.env);
  const storage = openStorage(config.storage);
  try {
    const report = await migrateToLatest(storage.db);
    process.stdout.write(
      report.applied.length
        ? `Applied ${report.applied.length} migration(s) to ${storage.describe}: ${report.applied.join(', ')}\n`
        : `${storage.describe} is up to date (${report.current.length} migrations).\n`,
    );
  } finally {
    await storage.close();
  }
}

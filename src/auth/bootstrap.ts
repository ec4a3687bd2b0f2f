import { DEFAULT_GROUPING } from '../analytics-rules/grouping.js';
import type { Logger } from '../logging/logger.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import { countUsers, emailKey } from '../users/user-repository.js';
import { DEFAULT_WORKSPACE_ID, findWorkspace, insertWorkspace } from '../workspaces/workspace-repository.js';
import { grantRole } from './membership.js';
import { hashPassword, newInitialPassword } from './secrets.js';

/** What first start created, for the start-up banner. */
export interface BootstrapReport {
  createdWorkspace: boolean;
  admin?: { email: string; password?: string };
}

export const DEFAULT_ADMIN_EMAIL = 'admin@vigil.local';

/**
 * Makes a fresh database usable: the `default` workspace, and — when there are no users — an
 * administrator who owns it, with the configured password or a generated one-time password.
 */
export async function bootstrap(
  storage: Storage,
  options: { adminEmail?: string; adminPassword?: string; now?: number; logger?: Logger },
): Promise<BootstrapReport> {
  const at = options.now ?? Date.now();
  const report: BootstrapReport = { createdWorkspace: false };
  if (!(await findWorkspace(storage.db, DEFAULT_WORKSPACE_ID))) {
    await insertWorkspace(storage.db, {
      id: DEFAULT_WORKSPACE_ID,
      name: 'Default',
      settings: { defaultGrouping: DEFAULT_GROUPING },
      createdAt: at,
      updatedAt: at,
      archivedAt: null,
      version: 1,
      automationVersion: 0,
    });
    report.createdWorkspace = true;
  }
  if ((await countUsers(storage.db)) > 0) return report;

  const email = options.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  const generated = options.adminPassword ? undefined : newInitialPassword();
  const passwordHash = await hashPassword(options.adminPassword ?? generated!);
  try {
    await storage.db.transaction().execute(async (trx) => {
      // Another process may have bootstrapped meanwhile; the unique email makes this a no-op then.
      const id = newId(at);
      await trx
        .insertInto('users')
        .values({
          id,
          email,
          email_key: emailKey(email),
          display_name: 'Administrator',
          password_hash: passwordHash,
          is_admin: 1,
          disabled: 0,
          must_change_password: generated ? 1 : 0,
          created_at: at,
          updated_at: at,
          last_login_at: null,
          version: 1,
        })
        .onConflict((oc) => oc.column('email_key').doNothing())
        .returning('id')
        .executeTakeFirst()
        .then((row) => {
          if (!row) throw new AlreadyBootstrapped();
        });
      await grantRole(trx, {
        workspaceId: DEFAULT_WORKSPACE_ID,
        principalType: 'user',
        principalId: id,
        role: 'Owner',
        grantedBy: null,
        at,
      });
    });
  } catch (error) {
    if (error instanceof AlreadyBootstrapped) return report;
    throw error;
  }
  report.admin = { email, password: generated };
  return report;
}

class AlreadyBootstrapped extends Error {}

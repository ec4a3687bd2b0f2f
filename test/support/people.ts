import { randomUUID } from 'node:crypto';
import { grantRole } from '../../src/auth/membership.js';
import type { Role } from '../../src/auth/permissions.js';
import { newId } from '../../src/ids/ids.js';
import { findUserById } from '../../src/users/user-repository.js';
import type { TestApp } from './test-app.js';

/** A user created for a test. */
export interface TestUser {
  id: string;
  email: string;
  name: string;
}

/** A group created for a test. */
export interface TestGroup {
  id: string;
  name: string;
}

/**
 * Inserts a user (no password) into the app's database. With `role`, grants it in the default
 * workspace. Email and name default to unique values.
 */
export async function createUser(
  t: TestApp,
  options: { email?: string; name?: string; role?: Role | null; disabled?: boolean } = {},
): Promise<TestUser> {
  const suffix = randomUUID().slice(0, 8);
  const email = options.email ?? `user-${suffix}@example.test`;
  const name = options.name ?? `User ${suffix}`;
  const at = Date.now();
  const id = newId(at);
  await t.app.storage.db
    .insertInto('users')
    .values({
      id,
      email,
      email_key: email.trim().toLowerCase(),
      display_name: name,
      password_hash: null,
      is_admin: 0,
      disabled: options.disabled ? 1 : 0,
      must_change_password: 0,
      created_at: at,
      updated_at: at,
      last_login_at: null,
      version: 1,
    })
    .execute();
  if (options.role) {
    await grantRole(t.app.storage.db, {
      workspaceId: 'default',
      principalType: 'user',
      principalId: id,
      role: options.role,
      grantedBy: null,
      at,
    });
  }
  return { id, email, name };
}

/** Inserts a group, optionally with members and a role in the default workspace. Name defaults to a unique value. */
export async function createGroup(
  t: TestApp,
  options: { name?: string; members?: TestUser[]; role?: Role } = {},
): Promise<TestGroup> {
  const name = options.name ?? `Group ${randomUUID().slice(0, 8)}`;
  const at = Date.now();
  const id = newId(at);
  await t.app.storage.db
    .insertInto('groups')
    .values({ id, name, name_key: name.trim().toLowerCase(), description: '', created_at: at, updated_at: at, version: 1 })
    .execute();
  for (const member of options.members ?? []) {
    await t.app.storage.db.insertInto('group_members').values({ group_id: id, user_id: member.id, added_at: at }).execute();
  }
  if (options.role) {
    await grantRole(t.app.storage.db, {
      workspaceId: 'default',
      principalType: 'group',
      principalId: id,
      role: options.role,
      grantedBy: null,
      at,
    });
  }
  return { id, name };
}

/** An API token for a user in the default workspace (the user must hold `role` there). */
export async function tokenFor(t: TestApp, user: TestUser, role: Role = 'Responder'): Promise<string> {
  const record = await findUserById(t.app.storage.db, user.id);
  if (!record) throw new Error(`no user ${user.id}`);
  const { token } = await t.app.services.auth.createToken(
    { user: record, via: 'session' },
    { name: 'test', workspaceId: 'default', role },
  );
  return token;
}

/** A user with a role in the default workspace, and a bearer token for them with that role. */
export async function userWithToken(t: TestApp, name: string, role: Role): Promise<{ id: string; token: string }> {
  const user = await createUser(t, { email: `${name.toLowerCase()}@example.test`, name, role });
  return { id: user.id, token: await tokenFor(t, user, role) };
}

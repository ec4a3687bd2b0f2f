import { deleteSessionsOfUser } from '../auth/auth-repository.js';
import { hashPassword, newInitialPassword } from '../auth/secrets.js';
import type { Access } from '../auth/permissions.js';
import { ConflictError, NotFoundError, PreconditionFailedError, RuleViolationError } from '../errors/errors.js';
import { decodeCursor, encodeCursor, isoTime } from '../http/cursor.js';
import { etagOf } from '../http/schemas.js';
import { newId } from '../ids/ids.js';
import type { Storage } from '../storage/database.js';
import { emailKey, findUserByEmail, findUserById, type User } from './user-repository.js';
import type { UserCreate, UserPatch, UserView } from './user-schemas.js';

/** A user as the API shows it (never the password hash). */
export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    isAdmin: user.isAdmin,
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
    createdAt: isoTime(user.createdAt),
    updatedAt: isoTime(user.updatedAt),
    lastLoginAt: isoTime(user.lastLoginAt),
    etag: etagOf(user.version),
  };
}

/** Local users: created and managed by server administrators. */
export type UserService = ReturnType<typeof createUserService>;

/** Builds the user service. */
export function createUserService({ storage, now = Date.now }: { storage: Storage; now?: () => number }) {
  const { db } = storage;

  async function requireUser(id: string): Promise<User> {
    const user = (await findUserById(db, id)) ?? (id.includes('@') ? await findUserByEmail(db, id) : undefined);
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return user;
  }

  async function activeAdmins(): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('is_admin', '=', 1)
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  return {
    /** Lists users by email, optionally those whose email or name contains `q`. */
    async list(query: { q?: string; limit: number; cursor?: string }) {
      let select = db.selectFrom('users').select('id').orderBy('email_key').orderBy('id');
      if (query.q) {
        select = select.where((eb) =>
          eb.or([
            storage.dialect.containsInsensitive(eb.ref('email'), query.q!),
            storage.dialect.containsInsensitive(eb.ref('display_name'), query.q!),
          ]),
        );
      }
      if (query.cursor) {
        const [email, id] = decodeCursor(query.cursor, 2) as [string, string];
        select = select.where((eb) => eb(eb.refTuple('email_key', 'id'), '>', eb.tuple(email, id)));
      }
      const ids = (await select.limit(query.limit + 1).execute()).map((r) => r.id);
      const users: User[] = [];
      for (const id of ids.slice(0, query.limit)) users.push((await findUserById(db, id))!);
      const last = users[users.length - 1];
      return {
        items: users.map(toUserView),
        nextCursor: ids.length > query.limit && last ? encodeCursor([emailKey(last.email), last.id]) : null,
      };
    },

    /** Reads a user by id or email. */
    async get(id: string): Promise<UserView> {
      return toUserView(await requireUser(id));
    },

    /** Creates a user; without a password one is generated, shown once, and must be changed at first sign-in. */
    async create(input: UserCreate): Promise<{ user: UserView; oneTimePassword: string | null }> {
      if (await findUserByEmail(db, input.email)) throw new ConflictError(`A user with email ${input.email} already exists`);
      const oneTimePassword = input.password ? null : newInitialPassword();
      const at = now();
      const id = newId(at);
      await db
        .insertInto('users')
        .values({
          id,
          email: input.email.trim(),
          email_key: emailKey(input.email),
          display_name: input.displayName,
          password_hash: await hashPassword(input.password ?? oneTimePassword!),
          is_admin: input.isAdmin ? 1 : 0,
          disabled: 0,
          must_change_password: oneTimePassword ? 1 : 0,
          created_at: at,
          updated_at: at,
          last_login_at: null,
          version: 1,
        })
        .onConflict((oc) => oc.column('email_key').doNothing())
        .execute();
      const user = await findUserById(db, id);
      if (!user) throw new ConflictError(`A user with email ${input.email} already exists`);
      return { user: toUserView(user), oneTimePassword };
    },

    /** Renames, disables or promotes a user. The last active administrator cannot be disabled or demoted. */
    async update(access: Access, id: string, patch: UserPatch, ifMatch?: string): Promise<UserView> {
      const user = await requireUser(id);
      if (ifMatch !== undefined && ifMatch !== String(user.version)) {
        throw new PreconditionFailedError(`User ${user.email} was changed since you read it; reload and try again`);
      }
      const losesAdmin = user.isAdmin && !user.disabled && (patch.disabled === true || patch.isAdmin === false);
      if (losesAdmin && (await activeAdmins()) <= 1) {
        throw new RuleViolationError(`${user.email} is the last active administrator; make another administrator first`);
      }
      if (patch.disabled === true && access.user?.id === user.id) throw new RuleViolationError('You cannot disable yourself');
      await db
        .updateTable('users')
        .set({
          display_name: patch.displayName ?? user.displayName,
          disabled: (patch.disabled ?? user.disabled) ? 1 : 0,
          is_admin: (patch.isAdmin ?? user.isAdmin) ? 1 : 0,
          updated_at: now(),
          version: user.version + 1,
        })
        .where('id', '=', user.id)
        .execute();
      if (patch.disabled) await deleteSessionsOfUser(db, user.id);
      return toUserView((await findUserById(db, user.id))!);
    },

    /** Sets a new password for a user (given, or a generated one-time one); ends their sessions. */
    async resetPassword(id: string, password?: string): Promise<{ user: UserView; oneTimePassword: string | null }> {
      const user = await requireUser(id);
      const oneTimePassword = password ? null : newInitialPassword();
      await db
        .updateTable('users')
        .set({
          password_hash: await hashPassword(password ?? oneTimePassword!),
          must_change_password: oneTimePassword ? 1 : 0,
          updated_at: now(),
          version: user.version + 1,
        })
        .where('id', '=', user.id)
        .execute();
      await deleteSessionsOfUser(db, user.id);
      return { user: toUserView((await findUserById(db, user.id))!), oneTimePassword };
    },
  };
}

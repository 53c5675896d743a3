import { sql, type Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.js';
import { hashPassword, randomPassword } from '../auth/passwords.js';
import type { User } from '../../shared/auth-schemas.js';

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').select(['id', 'username', 'role', 'disabled', 'created_at']).orderBy('id').execute();
  return rows.map(toUser);
}

export async function findUser(db: Kysely<Database>, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(['id', 'username', 'role', 'disabled', 'created_at']).where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function createUser(db: Kysely<Database>, input: { username: string; password: string; role: Role }): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({ username: input.username, role: input.role, password_hash: await hashPassword(input.password) })
    .returning(['id', 'username', 'role', 'disabled', 'created_at'])
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function usernameTaken(db: Kysely<Database>, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return row !== undefined;
}

/**
 * Changes role, disabled or password. A new password or disabling ends the user's
 * sessions (a new password their API tokens too); the session check also refuses them by itself, this just tidies up.
 */
export async function updateUser(
  db: Kysely<Database>,
  id: number,
  change: { role?: Role | undefined; disabled?: boolean | undefined; password?: string | undefined },
): Promise<User | undefined> {
  const row = await db
    .updateTable('users')
    .set({
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
      ...(change.password !== undefined
        ? { password_hash: await hashPassword(change.password), password_changed_at: sql<Date>`now()` }
        : {}),
    })
    .where('id', '=', id)
    .returning(['id', 'username', 'role', 'disabled', 'created_at'])
    .executeTakeFirst();
  if (row && (change.password !== undefined || change.disabled)) {
    await db.deleteFrom('sessions').where('user_id', '=', id).execute();
  }
  // A new password says the old secrets may be known: the API tokens go too (the token check
  // also refuses any made before the change, whoever changed it).
  if (row && change.password !== undefined) {
    await db.deleteFrom('api_tokens').where('user_id', '=', id).execute();
  }
  return row && toUser(row);
}

function toUser(row: { id: number; username: string; role: Role; disabled: boolean; created_at: Date }): User {
  return { ...row, created_at: new Date(row.created_at).toISOString() };
}

/**
 * On first start there is nobody to sign in as: create "admin" with the given password,
 * or a random one that is printed once. Returns the password when it made one up.
 */
export async function ensureFirstAdmin(db: Kysely<Database>, password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
  const { count } = await db.selectFrom('users').select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow();
  if (count > 0) return { created: false };
  const chosen = password ?? randomPassword();
  await createUser(db, { username: 'admin', password: chosen, role: 'admin' });
  return password ? { created: true } : { created: true, generatedPassword: chosen };
}

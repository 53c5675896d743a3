import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.js';
import { randomPassword } from '../auth/passwords.js';
import { ROLES } from '../auth/permissions.js';
import { recordAudit } from '../audit/record.js';
import type { AdminReply } from '../admin/channel.js';
import { createUser, listUsers, updateUser, usernameTaken } from './queries.js';

export const USER_USAGE = `npm run user -- <command>
  list                                   every user, role and state
  add <username> <role> [--password P]   role: ${ROLES.join(', ')}; a random password is printed when none is given
  passwd <username> [--password P]       set a new password (ends the user's sessions)
  disable <username>                     stop the user at once (sessions and tokens)
  enable <username>
Uses DATABASE_URL, or the embedded database in MAHALLENAMA_DATA_DIR (default ./data): through
the running server when one holds that folder, else by opening it.`;

/** The command as the audit log shows it, without the password. */
export function commandLine(args: string[]): string {
  const shown = args.map((arg, i) => (args[i - 1] === '--password' ? '…' : arg.replace(/^--password=.*/, '--password=…')));
  return ['npm run user --', ...shown].join(' ');
}

/**
 * Runs one `npm run user` command on the database: in the CLI itself, or in the server
 * that holds the embedded data folder (server/admin/channel.ts). Each change and its audit
 * entry are one transaction, made by the command line.
 */
export async function runUserCommand(db: Kysely<Database>, args: string[]): Promise<AdminReply> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { password: { type: 'string' } } });
  } catch (error) {
    return { output: '', error: `${(error as Error).message}\n\n${USER_USAGE}`, exitCode: 2 };
  }
  const { positionals, values } = parsed;
  const [command, username, role] = positionals;
  const actor = { username: 'command line' };
  const command_line = commandLine(args);
  const fail = (error: string, exitCode = 1): AdminReply => ({ output: '', error, exitCode });
  const done = (output: string): AdminReply => ({ output, error: '', exitCode: 0 });

  if (!command || command === 'help') return { output: USER_USAGE, error: '', exitCode: command ? 0 : 2 };
  if (command === 'list') {
    const users = await listUsers(db);
    return done(users.map((u) => `${u.id}\t${u.username}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}`).join('\n'));
  }
  if (command === 'add') {
    if (!username || !role || !(ROLES as readonly string[]).includes(role)) return fail(USER_USAGE);
    const password = values.password ?? randomPassword();
    const created = await db.transaction().execute(async (trx) => {
      if (await usernameTaken(trx, username)) return undefined;
      const user = await createUser(trx, { username, password, role: role as Role });
      await recordAudit(trx, { actor, action: 'create', entity: 'users', entityId: user.id, after: { ...user, command: command_line } });
      return user;
    });
    if (!created) return fail(`the username ${username} is taken`);
    return done(`created ${username} (${role})${values.password ? '' : ` with the password ${password}`}`);
  }
  if (command !== 'passwd' && command !== 'disable' && command !== 'enable') return fail(`unknown command ${command}\n\n${USER_USAGE}`);

  const password = command === 'passwd' ? (values.password ?? randomPassword()) : undefined;
  const changed = await db.transaction().execute(async (trx) => {
    const row = username ? await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst() : undefined;
    if (!row) return undefined;
    const after = await updateUser(trx, row.id, password !== undefined ? { password } : { disabled: command === 'disable' });
    await recordAudit(trx, {
      actor,
      action: 'update',
      entity: 'users',
      entityId: row.id,
      after: { ...(password !== undefined ? { password: 'changed' } : after), command: command_line },
    });
    return after;
  });
  if (!changed) return fail(`no user named ${username ?? '(missing)'}\n\n${USER_USAGE}`);
  if (command === 'passwd') return done(`new password for ${username}${values.password ? ' set' : `: ${password}`}`);
  return done(`${username} ${command}d`);
}

import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { configFromEnv } from '../config.js';
import { randomPassword } from '../auth/passwords.js';
import { ROLES } from '../auth/permissions.js';
import type { Role } from '../db/schema.js';
import { createUser, listUsers, updateUser, usernameTaken } from './queries.js';
import { recordAudit } from '../audit/record.js';

const USAGE = `npm run user -- <command>
  list                                   every user, role and state
  add <username> <role> [--password P]   role: ${ROLES.join(', ')}; a random password is printed when none is given
  passwd <username> [--password P]       set a new password (ends the user's sessions)
  disable <username>                     stop the user at once (sessions and tokens)
  enable <username>
Uses DATABASE_URL, or the embedded database in MAHALLENAMA_DATA_DIR (default ./data); stop the
server first when it runs on the embedded database, which one process opens at a time.`;

const { positionals, values } = parseArgs({ allowPositionals: true, options: { password: { type: 'string' } } });
const [command, username, role] = positionals;
if (!command || command === 'help') {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}

const config = configFromEnv();
const database = await openDatabase(config);
try {
  await migrateToLatest(database.db);
  const db = database.db;
  const findId = async (name: string | undefined) => {
    const row = name ? await db.selectFrom('users').select('id').where('username', '=', name).executeTakeFirst() : undefined;
    if (!row) throw new Error(`no user named ${name ?? '(missing)'}\n\n${USAGE}`);
    return row.id;
  };
  const actor = { username: 'command line' };

  if (command === 'list') {
    for (const u of await listUsers(db)) console.log(`${u.id}\t${u.username}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}`);
  } else if (command === 'add') {
    if (!username || !role || !(ROLES as readonly string[]).includes(role)) throw new Error(USAGE);
    if (await usernameTaken(db, username)) throw new Error(`the username ${username} is taken`);
    const password = values.password ?? randomPassword();
    const user = await createUser(db, { username, password, role: role as Role });
    await recordAudit(db, { actor, action: 'create', entity: 'users', entityId: user.id, after: user });
    console.log(`created ${username} (${role})${values.password ? '' : ` with the password ${password}`}`);
  } else if (command === 'passwd') {
    const id = await findId(username);
    const password = values.password ?? randomPassword();
    await updateUser(db, id, { password });
    await recordAudit(db, { actor, action: 'update', entity: 'users', entityId: id, after: { password: 'changed' } });
    console.log(`new password for ${username}${values.password ? ' set' : `: ${password}`}`);
  } else if (command === 'disable' || command === 'enable') {
    const id = await findId(username);
    const after = await updateUser(db, id, { disabled: command === 'disable' });
    await recordAudit(db, { actor, action: 'update', entity: 'users', entityId: id, after });
    console.log(`${username} ${command}d`);
  } else {
    throw new Error(`unknown command ${command}\n\n${USAGE}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}

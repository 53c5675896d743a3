import { askHolder, type AdminReply } from '../admin/channel.js';
import { configFromEnv } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { runUserCommand, USER_USAGE } from './commands.js';

/**
 * `npm run user -- …` (commands in server/users/commands.ts). With the embedded database
 * and a server running on it, the server runs the command: opening the folder a second
 * time would corrupt it. Otherwise this process opens the database itself (holding the
 * embedded folder's lock while it does).
 */
const args = process.argv.slice(2);
if (args.length === 0 || args[0] === 'help') {
  console.log(USER_USAGE);
  process.exit(args.length === 0 ? 2 : 0);
}
const config = configFromEnv();
try {
  const request = { command: 'user' as const, args };
  const reply = (!config.databaseUrl && (await askHolder(config.dataDir, request))) || (await runHere(args));
  if (reply.output) console.log(reply.output);
  if (reply.error) console.error(reply.error);
  process.exitCode = reply.exitCode;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

async function runHere(commandArgs: string[]): Promise<AdminReply> {
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
    return await runUserCommand(database.db, commandArgs);
  } finally {
    await database.close();
  }
}

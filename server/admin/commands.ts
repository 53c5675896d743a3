import type { DatabaseHandle } from '../db/connect.js';
import { backupEmbedded } from '../backup/embedded.js';
import { runUserCommand } from '../users/commands.js';
import type { AdminReply, AdminRequest } from './channel.js';

/** What the embedded server does for a request on its admin channel. */
export async function runAdminRequest(database: DatabaseHandle, request: AdminRequest): Promise<AdminReply> {
  try {
    if (request.command === 'user') return await runUserCommand(database.db, request.args);
    const bytes = await backupEmbedded(database, request.file);
    return { output: `wrote ${request.file} (${(bytes / 1024 / 1024).toFixed(1)} MB) through the running server`, error: '', exitCode: 0 };
  } catch (error) {
    return { output: '', error: error instanceof Error ? error.message : String(error), exitCode: 1 };
  }
}

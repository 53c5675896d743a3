import type net from 'node:net';
import { connectToHolder, DataDirBusyError, readHolder, type DataDirLock } from '../db/data-dir-lock.js';

/**
 * The admin channel: the embedded server's lock socket (server/db/data-dir-lock.ts, mode
 * 0600) also takes commands from the machine's own user, so `npm run user` and
 * `npm run backup` work while the server holds the data folder. One JSON line each way.
 */
export type AdminRequest =
  | { command: 'user'; args: string[] }
  | { command: 'backup'; file: string };

export interface AdminReply {
  /** What the command prints on standard output and standard error, and its exit code. */
  output: string;
  error: string;
  exitCode: number;
}

/** A request larger than this is not one of ours. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** Answers requests on the lock's socket with `run`. */
export function serveAdminChannel(lock: DataDirLock, run: (request: AdminRequest) => Promise<AdminReply>): void {
  lock.onConnection((socket) => {
    void readLine(socket, MAX_REQUEST_BYTES)
      .then(async (line) => {
        const request = parseRequest(line);
        const reply = request ? await run(request) : { output: '', error: 'not a Mahallenama admin request', exitCode: 2 };
        socket.end(`${JSON.stringify(reply)}\n`);
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (!socket.destroyed) socket.end(`${JSON.stringify({ output: '', error: message, exitCode: 1 })}\n`);
      });
  });
}

/**
 * Sends a request to the process holding the data folder. Resolves undefined when no
 * process holds it (the caller may open the folder itself); throws DataDirBusyError when
 * the holder is a tool that does not take requests (a restore, a backup without a server).
 */
export async function askHolder(dataDir: string, request: AdminRequest): Promise<AdminReply | undefined> {
  const socket = await connectToHolder(dataDir);
  if (!socket) return undefined;
  socket.write(`${JSON.stringify(request)}\n`);
  const line = await readLine(socket, Infinity);
  if (!line) throw new DataDirBusyError(dataDir, readHolder(dataDir));
  return JSON.parse(line) as AdminReply;
}

function parseRequest(line: string): AdminRequest | undefined {
  try {
    const value = JSON.parse(line) as Partial<{ command: unknown; args: unknown; file: unknown }>;
    if (value.command === 'user' && Array.isArray(value.args) && value.args.every((a) => typeof a === 'string')) {
      return { command: 'user', args: value.args as string[] };
    }
    if (value.command === 'backup' && typeof value.file === 'string') return { command: 'backup', file: value.file };
  } catch {
    // Not JSON: answered as "not a request" below.
  }
  return undefined;
}

/** The first line the peer sends ('' when it closes without one). */
function readLine(socket: net.Socket, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (value: string) => {
      socket.removeAllListeners('data');
      resolve(value);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) done(text.slice(0, end));
      else if (text.length > maxBytes) reject(new Error('admin request too long'));
    });
    socket.once('end', () => done(''));
    socket.once('error', reject);
  });
}

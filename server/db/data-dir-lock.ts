import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The lock: a Unix socket the holder listens on, also the admin channel (server/admin/channel.ts). */
export const LOCK_SOCKET = 'mahallenama.sock';
/** Who holds the lock, for the message a refused opener prints. */
export const LOCK_HOLDER = 'mahallenama.pid';
/** Taken for the instant of removing a dead holder's socket, so two starters cannot both do it. */
const CLEANUP = 'mahallenama.sock.cleanup';
/** Files of ours in the data folder that are not the database (left out of backups). */
export const LOCK_FILES = [LOCK_SOCKET, LOCK_HOLDER, CLEANUP];

export interface Holder {
  pid: number;
  command: string;
  since: string;
}

/** Another live process holds the data folder. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | undefined,
  ) {
    const who = holder ? `process ${holder.pid} (${holder.command}, since ${holder.since})` : 'another process';
    super(
      `The embedded database in ${dataDir} is in use by ${who}. ` +
        'One process at a time may open it: stop that process first, or use the running server ' +
        '(npm run user and npm run backup go through it by themselves).',
    );
    this.name = 'DataDirBusyError';
  }
}

export interface DataDirLock {
  socketPath: string;
  /** Connections to the socket: the holder answers them (the admin channel). */
  onConnection(handler: (socket: net.Socket) => void): void;
  release(): Promise<void>;
}

/**
 * Takes the embedded data folder for this process, or throws DataDirBusyError naming the
 * holder. Node has no flock, so the lock is a listening Unix socket in the folder: while
 * its process lives a connect succeeds; once it dies (even by kill -9) the kernel closes
 * it and a connect is refused, so a stale socket file is told apart from a live holder and
 * removed. bind() is atomic, so of two starters only one binds. The socket is mode 0600:
 * only the machine's user that runs the server can reach it.
 */
export async function lockDataDir(dataDir: string, command = describeProcess()): Promise<DataDirLock> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const socketPath = path.join(dataDir, LOCK_SOCKET);
  if (Buffer.byteLength(socketPath) > 107) {
    throw new Error(`the data folder path ${dataDir} is too long for its lock socket (at most 90 characters); choose a shorter MAHALLENAMA_DATA_DIR`);
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = await tryListen(socketPath);
    if (server) return holding(dataDir, socketPath, server, command);
    if (await isLive(socketPath)) throw new DataDirBusyError(dataDir, readHolder(dataDir));
    await removeStaleSocket(dataDir, socketPath);
  }
  throw new Error(`could not take the lock on ${dataDir}: its socket ${socketPath} keeps reappearing`);
}

/** Connects to the holder's socket, or resolves undefined when nobody holds the folder. */
export async function connectToHolder(dataDir: string): Promise<net.Socket | undefined> {
  const socketPath = path.join(dataDir, LOCK_SOCKET);
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(undefined);
      else reject(error);
    });
  });
}

export function readHolder(dataDir: string): Holder | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_HOLDER), 'utf8')) as Holder;
  } catch {
    // Not written yet (the holder is a moment old) or gone with it: the message says "another process".
    return undefined;
  }
}

/** e.g. "server/main.ts" or "server/users/cli.ts list" (npm's script name is not reliable: tests inherit it). */
function describeProcess(): string {
  const script = process.argv[1] ? path.relative(process.cwd(), process.argv[1]) : 'node';
  return [script, ...process.argv.slice(2)].join(' ');
}

function tryListen(socketPath: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    });
    // The socket file is created by bind() with the umask's mode: no moment where others may connect.
    const umask = process.umask(0o177);
    try {
      server.listen(socketPath, () => {
        server.removeAllListeners('error');
        resolve(server);
      });
    } finally {
      process.umask(umask);
    }
  });
}

async function isLive(socketPath: string): Promise<boolean> {
  const socket = await connectToHolder(path.dirname(socketPath));
  socket?.destroy();
  return socket !== undefined;
}

/**
 * Removes a dead holder's socket. Two starters may both find it dead; the cleanup file
 * (exclusive create) lets one remove it, and each checks again under it, so the second
 * never removes the socket the first has just bound.
 */
async function removeStaleSocket(dataDir: string, socketPath: string): Promise<void> {
  const cleanup = path.join(dataDir, CLEANUP);
  let fd: number;
  try {
    fd = fs.openSync(cleanup, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Held for a few milliseconds by a live starter; one older than that was left by a crash.
    const age = Date.now() - (fs.statSync(cleanup, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 5000) fs.rmSync(cleanup, { force: true });
    await sleep(20);
    return;
  }
  try {
    if (!(await isLive(socketPath))) fs.rmSync(socketPath, { force: true });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(cleanup, { force: true });
  }
}

function holding(dataDir: string, socketPath: string, server: net.Server, command: string): DataDirLock {
  fs.chmodSync(socketPath, 0o600);
  const holderPath = path.join(dataDir, LOCK_HOLDER);
  const holder: Holder = { pid: process.pid, command, since: new Date().toISOString() };
  fs.writeFileSync(holderPath, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  let handler: (socket: net.Socket) => void = (socket) => socket.end();
  server.on('connection', (socket) => handler(socket));
  // The lock must not keep a finished tool alive; the server's own listener keeps it running.
  server.unref();
  let released: Promise<void> | undefined;
  return {
    socketPath,
    onConnection(next) {
      handler = next;
    },
    release() {
      released ??= new Promise<void>((resolve) => {
        fs.rmSync(holderPath, { force: true });
        // close() removes the socket file once the open admin connections end.
        server.close(() => resolve());
      });
      return released;
    },
  };
}

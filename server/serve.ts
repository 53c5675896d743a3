import cluster, { type Worker } from 'node:cluster';
import { buildApp, prepareDatabase, type AppOptions } from './app.js';
import { openDatabase } from './db/connect.js';

export interface ServeOptions {
  app: AppOptions;
  port: number;
  host: string;
  /** Server processes sharing the port; more than one needs a PostgreSQL server. */
  workers: number;
}

export interface Serving {
  /** Where it listens, e.g. http://127.0.0.1:8080 */
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs the server in this process, or in `workers` processes on one port (node:cluster,
 * which hands each new connection to the next process). The server keeps no state of
 * its own that the others need: sessions and layer revisions live in the database, and
 * each process checks them on every request, so a tile cache never outlives a change
 * made through another process.
 *
 * In the primary process it prepares the database once, starts the workers, restarts one
 * that dies, and resolves when all listen. Each worker runs the same entry script, which
 * calls serve() again: there it builds the app and listens.
 */
export async function serve(options: ServeOptions): Promise<Serving> {
  if (options.workers > 1 && !options.app.databaseUrl) {
    throw new Error('the embedded database serves one process only: set DATABASE_URL to run more than one worker');
  }
  if (options.workers > 1 && cluster.isPrimary) return startWorkers(options);
  const app = await buildApp(options.app);
  const url = await app.listen({ port: options.port, host: options.host });
  if (cluster.isWorker) {
    // The primary is gone (killed, even by kill -9, which it cannot pass on): nothing would
    // restart this process or stop it with the others, and systemd restarts only the
    // primary, so it would hold the port as an orphan. Finish what is in flight and end.
    process.once('disconnect', () => {
      console.error(`server process ${process.pid}: the primary process ended; stopping`);
      const force = setTimeout(() => process.exit(1), 5000);
      force.unref();
      void app.close().finally(() => process.exit(1));
    });
  }
  return { url, stop: () => app.close() };
}

async function startWorkers(options: ServeOptions): Promise<Serving> {
  const database = await openDatabase(options.app);
  try {
    await prepareDatabase(database, options.app);
  } finally {
    await database.close();
  }

  let stopping = false;
  let ready = false;
  const listening = new Set<number>();
  const stop = async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(workers.map((worker) => new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.kill('SIGTERM');
    })));
  };
  return new Promise<Serving>((resolve, reject) => {
    cluster.on('listening', (worker, address) => {
      listening.add(worker.id);
      if (!ready && listening.size === options.workers) {
        ready = true;
        resolve({ url: `http://${options.host}:${address.port}`, stop });
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      const wasListening = listening.delete(worker.id);
      if (stopping) return;
      const how = signal ?? `exit code ${code}`;
      if (wasListening) {
        console.error(`server process ${worker.process.pid} ended (${how}); starting another`);
        cluster.fork();
      } else if (!ready) {
        // It would fail again (a bad setting, the port taken): stop rather than loop.
        void stop().then(() => reject(new Error(`a server process ended before it listened (${how})`)));
      } else {
        console.error(`server process ${worker.process.pid} ended before it listened (${how}); not starting another`);
      }
    });
    for (let i = 0; i < options.workers; i++) cluster.fork();
  });
}

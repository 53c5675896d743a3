/**
 * The server as the tile benchmark runs it: buildApp + listen in a process of its own,
 * configured from the environment the benchmark passes (a PostGIS database or an
 * embedded data folder, the size of the tile cache). With BENCH_WORKERS=N it runs N
 * processes on one port (node:cluster), as the stateless server may be deployed on a
 * machine with N cores; each has its own tile cache. Prints "listening <url>" when all
 * are up.
 */
import cluster from 'node:cluster';
import { buildApp } from '../server/app.js';

const env = process.env;
const workers = Number(env.BENCH_WORKERS ?? 1);
const port = Number(env.BENCH_PORT ?? 0);

if (workers > 1 && cluster.isPrimary) {
  // Workers share the port, so it must be fixed before they start.
  if (!port) throw new Error('BENCH_WORKERS > 1 needs BENCH_PORT');
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (message) => {
      if (message === 'listening' && ++ready === workers) console.log(`listening http://127.0.0.1:${port}`);
    });
  }
  cluster.on('exit', (worker, code) => {
    if (code !== 0 && code !== null) console.error(`worker ${worker.process.pid} exited with ${code}`);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
      cluster.disconnect(() => process.exit(0));
    });
  }
} else {
  const app = await buildApp({
    databaseUrl: env.BENCH_DATABASE_URL || undefined,
    dataDir: env.BENCH_DATA_DIR ?? 'data',
    geodataDir: env.BENCH_GEODATA_DIR ?? 'geodata',
    adminPassword: env.BENCH_ADMIN_PASSWORD,
    tileCacheBytes: Number(env.BENCH_TILE_CACHE_BYTES ?? 64 * 1024 * 1024),
    logger: false,
  });
  const address = await app.listen({ port, host: '127.0.0.1' });
  if (cluster.isWorker) process.send!('listening');
  else console.log(`listening ${address}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
}

/**
 * The server as the tile benchmark runs it: serve() as server/main.ts runs it, configured
 * from the environment the benchmark passes (a PostGIS database or an embedded data
 * folder, the size of the tile cache, BENCH_WORKERS processes as MAHALLENAMA_WORKERS),
 * without the request log. Prints "listening <url>" when all processes are up.
 */
import cluster from 'node:cluster';
import { serve } from '../server/serve.js';

const env = process.env;
const serving = await serve({
  app: {
    databaseUrl: env.BENCH_DATABASE_URL || undefined,
    dataDir: env.BENCH_DATA_DIR ?? 'data',
    geodataDir: env.BENCH_GEODATA_DIR ?? 'geodata',
    adminPassword: env.BENCH_ADMIN_PASSWORD,
    tileCacheBytes: Number(env.BENCH_TILE_CACHE_BYTES ?? 64 * 1024 * 1024),
    logger: false,
  },
  port: Number(env.BENCH_PORT ?? 0),
  host: '127.0.0.1',
  workers: Number(env.BENCH_WORKERS ?? 1),
});
if (cluster.isPrimary) console.log(`listening ${serving.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void serving.stop().then(() => process.exit(0));
  });
}

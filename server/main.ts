import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import { configFromEnv } from './config.js';
import { serve, type Serving } from './serve.js';
import { DataDirBusyError } from './db/data-dir-lock.js';

const config = configFromEnv();
if (cluster.isPrimary && !fs.existsSync(config.clientDir)) {
  // npm run serve starts on a client built beforehand (npm run build); npm start builds it.
  console.warn(`No built client in ${config.clientDir}: the API and tiles answer, the map page does not. Run npm run build.`);
}
if (cluster.isPrimary) for (const warning of config.warnings) console.warn(`Warning: ${warning}`);
const started = performance.now();
const serving: Serving = await serve({
  app: {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    clientDir: config.clientDir,
    geodataDir: path.resolve('geodata'),
    logger: true,
    adminPassword: config.adminPassword,
    trustProxy: config.trustProxy,
    serviceArea: config.serviceArea,
    uploadLimitBytes: config.uploadLimitBytes,
    basemapOrigins: config.basemapOrigins,
    basemapFile: config.basemapFile,
    backup: config.backup,
    previewMaxAgeSeconds: config.previewMaxAgeSeconds,
  },
  port: config.port,
  host: config.host,
  workers: config.workers,
}).catch((error: unknown) => {
  // The expected refusal is a message, not a stack trace.
  if (!(error instanceof DataDirBusyError)) throw error;
  console.error(error.message);
  process.exit(1);
});
if (cluster.isPrimary) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const where = config.databaseUrl ? 'PostGIS server' : `embedded database in ${config.dataDir}`;
  const processes = config.workers > 1 ? `, ${config.workers} processes` : '';
  console.log(`Mahallenama is running on ${serving.url}/ (${where}${processes}, ready in ${seconds} s)`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void serving.stop().then(() => process.exit(0));
  });
}

import path from 'node:path';
import { buildApp } from './app.js';
import { configFromEnv } from './config.js';

const config = configFromEnv();
const started = performance.now();
const app = await buildApp({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  clientDir: config.clientDir,
  geodataDir: path.resolve('geodata'),
  logger: true,
  adminPassword: config.adminPassword,
  trustProxy: config.trustProxy,
  serviceArea: config.serviceArea,
  uploadLimitBytes: config.uploadLimitBytes,
});
await app.listen({ port: config.port, host: config.host });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const where = config.databaseUrl ? 'PostGIS server' : `embedded database in ${config.dataDir}`;
console.log(`Mahallenama is running on http://${config.host}:${config.port}/ (${where}, ready in ${seconds} s)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}

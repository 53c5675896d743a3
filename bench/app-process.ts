import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The app as `npm start` runs it — server/main.ts in a process of its own, on the built client in
 * dist/client — with the embedded database in a fresh temporary data folder, for the benchmarks that
 * drive chromium against it (a process apart, so the browser and the server do not share one event loop).
 */
export interface AppProcess {
  url: URL;
  child: ChildProcess;
  dataDir: string;
}

export const repo = path.resolve(import.meta.dirname, '..');

/** Starts server/main.ts with `adminPassword` for the first admin; resolves when it listens. */
export async function startApp(name: string, adminPassword: string): Promise<AppProcess> {
  if (!fs.existsSync(path.join(repo, 'dist/client/index.html'))) throw new Error('dist/client is missing: run `npm run build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `mahallenama-bench-${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'server/main.ts')], {
    cwd: repo,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', MAHALLENAMA_DATA_DIR: dataDir, MAHALLENAMA_ADMIN_PASSWORD: adminPassword, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /running on (http:\/\/[^\s/]+)/.exec(out);
      if (found) resolve(new URL(found[1]!));
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${out}`)));
  });
  child.stdout!.resume(); // the request log: read and dropped, so the pipe never fills
  return { url, child, dataDir };
}

export async function stopApp(app: AppProcess): Promise<void> {
  if (app.child.exitCode === null) {
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    app.child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(app.dataDir, { recursive: true, force: true });
}

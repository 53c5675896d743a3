import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirBusyError, LOCK_HOLDER, LOCK_SOCKET, lockDataDir, type DataDirLock } from '../../server/db/data-dir-lock.js';

const folders: string[] = [];
const locks: DataDirLock[] = [];
afterEach(async () => {
  await Promise.all(locks.splice(0).map((l) => l.release()));
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true });
});
const folder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-lock-'));
  folders.push(dir);
  return dir;
};

describe('the data folder lock', () => {
  it('lets one of two simultaneous openers in and tells the other who holds it', async () => {
    const dir = folder();
    const results = await Promise.allSettled([lockDataDir(dir, 'first'), lockDataDir(dir, 'second')]);
    const taken = results.filter((r): r is PromiseFulfilledResult<DataDirLock> => r.status === 'fulfilled');
    locks.push(...taken.map((r) => r.value));
    expect(taken).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DataDirBusyError);
    expect(String(refused.reason.message)).toContain(`process ${process.pid}`);
    expect(fs.statSync(path.join(dir, LOCK_SOCKET)).mode & 0o777).toBe(0o600);
  });

  it('is free again once released, and says who held it while held', async () => {
    const dir = folder();
    const first = await lockDataDir(dir, 'npm run user -- list');
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by process \d+ \(npm run user -- list, since/);
    await first.release();
    expect(fs.existsSync(path.join(dir, LOCK_SOCKET))).toBe(false);
    expect(fs.existsSync(path.join(dir, LOCK_HOLDER))).toBe(false);
    locks.push(await lockDataDir(dir));
  });

  it('is not left stuck by a holder killed with SIGKILL', async () => {
    const dir = folder();
    const socket = path.join(dir, LOCK_SOCKET);
    // Another process listens on the socket, as a server holding the folder would, and is killed.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('ready'))`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirBusyError);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(fs.existsSync(socket)).toBe(true);
    const results = await Promise.allSettled([lockDataDir(dir), lockDataDir(dir), lockDataDir(dir)]);
    const taken = results.filter((r): r is PromiseFulfilledResult<DataDirLock> => r.status === 'fulfilled');
    locks.push(...taken.map((r) => r.value));
    expect(taken).toHaveLength(1);
  });
});

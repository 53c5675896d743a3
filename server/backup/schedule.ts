import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseHandle } from '../db/connect.js';
import { BACKUP_FOLDER, backupEmbedded } from './embedded.js';

export interface BackupSchedule {
  /** Time between automatic backups (a day by default); 0 turns them off. */
  intervalMs: number;
  /** Automatic backups kept; the oldest beyond this are removed. */
  keep: number;
}

const NAME = /^mahallenama-\d{8}T\d{6}Z\.tar\.gz$/;

/** mahallenama-20261206T031500Z.tar.gz: sorts by time as text. */
export function backupName(at: Date): string {
  return `mahallenama-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}.tar.gz`;
}

/** The automatic backups to remove so that `keep` remain: the oldest. Other files are not ours. */
export function backupsToRemove(names: string[], keep: number): string[] {
  const ours = names.filter((n) => NAME.test(n)).sort();
  return ours.slice(0, Math.max(0, ours.length - keep));
}

/** When the next backup is due: an interval after the newest, or now if that has passed. */
export function nextBackupDelay(newest: Date | undefined, now: Date, intervalMs: number): number {
  if (!newest) return 0;
  return Math.max(0, newest.getTime() + intervalMs - now.getTime());
}

/**
 * Automatic backups of the embedded database into <data dir>/backups/, because PGlite
 * never fsyncs: an OS crash or power loss can damage the folder, and then a backup is all
 * there is. The schedule survives restarts: the next one is due an interval after the
 * newest file, so a server restarted every night still makes its daily copy. Returns stop(), which resolves once a backup under way is done.
 */
export function scheduleBackups(database: DatabaseHandle, schedule: BackupSchedule, log: (message: string) => void): () => Promise<void> {
  if (!database.dataDir || schedule.intervalMs <= 0) return async () => {};
  const folder = path.join(database.dataDir, BACKUP_FOLDER);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;

  const newest = (): Date | undefined => {
    const names = fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => NAME.test(n)).sort() : [];
    const last = names.at(-1);
    return last ? fs.statSync(path.join(folder, last)).mtime : undefined;
  };
  const plan = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = once();
    }, Math.min(delay, 2 ** 31 - 1));
    // A pending backup must not keep a stopping server alive.
    timer.unref();
  };
  const once = async () => {
    try {
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      const file = path.join(folder, backupName(new Date()));
      const bytes = await backupEmbedded(database, file);
      for (const old of backupsToRemove(fs.readdirSync(folder), schedule.keep)) fs.rmSync(path.join(folder, old), { force: true });
      log(`automatic backup ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
    } catch (error) {
      // A failed backup is reported and retried at the next interval; it never stops the server.
      log(`automatic backup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    plan(schedule.intervalMs);
  };
  // Not in the first minute: a starting server has other work, and may be stopped again at once.
  plan(Math.max(nextBackupDelay(newest(), new Date(), schedule.intervalMs), Math.min(schedule.intervalMs, 60_000)));
  // stop() waits for a backup under way, so the database is not closed under it.
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

import { describe, expect, it } from 'vitest';
import { backupName, backupsToRemove, nextBackupDelay } from '../../server/backup/schedule.js';

describe('automatic backups', () => {
  it('names a backup by its time, so names sort by age', () => {
    expect(backupName(new Date('2026-12-06T03:15:42.123Z'))).toBe('mahallenama-20261206T031542Z.tar.gz');
  });

  it('removes the oldest beyond the number kept, and nothing that is not ours', () => {
    const names = [
      'mahallenama-20261203T000000Z.tar.gz',
      'notes.txt',
      'mahallenama-20261201T000000Z.tar.gz',
      'mahallenama-20261202T000000Z.tar.gz',
      'mahallenama-20261204T000000Z.tar.gz.partial',
    ];
    expect(backupsToRemove(names, 2)).toEqual(['mahallenama-20261201T000000Z.tar.gz']);
    expect(backupsToRemove(names, 1)).toEqual(['mahallenama-20261201T000000Z.tar.gz', 'mahallenama-20261202T000000Z.tar.gz']);
    expect(backupsToRemove(names, 7)).toEqual([]);
  });

  it('is due an interval after the newest backup, at once when that has passed or there is none', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const day = 24 * 3600_000;
    expect(nextBackupDelay(undefined, now, day)).toBe(0);
    expect(nextBackupDelay(new Date('2026-12-06T02:00:00Z'), now, day)).toBe(14 * 3600_000);
    expect(nextBackupDelay(new Date('2026-12-04T02:00:00Z'), now, day)).toBe(0);
  });
});

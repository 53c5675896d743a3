import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Marks previews older than `maxAgeSeconds` expired and drops their staged features. A
 * preview nobody commits or discards (the user walked away, or a crash ended the upload)
 * would otherwise stay `preview` for ever, its features taking space. Returns the ids.
 */
export async function expirePreviews(db: Kysely<Database>, maxAgeSeconds: number): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const expired = await trx
      .updateTable('boundary_uploads')
      .set({
        status: 'expired',
        decided_at: sql<Date>`now()`,
        failure: `the preview expired: not committed or discarded within ${maxAgeSeconds >= 3600 ? `${Math.round(maxAgeSeconds / 3600)} h` : `${maxAgeSeconds} s`}; upload the file again`,
      })
      .where('status', '=', 'preview')
      .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${maxAgeSeconds})`)
      .returning('id')
      .execute();
    const ids = expired.map((r) => r.id);
    if (ids.length > 0) await trx.deleteFrom('boundary_upload_features').where('upload_id', 'in', ids).execute();
    return ids;
  });
}

/**
 * Sweeps at start-up and then every `everyMs`: previews a crash left behind expire after
 * `maxAgeSeconds` whether or not the server ever restarts. Returns stop().
 */
export function sweepPreviews(db: Kysely<Database>, maxAgeSeconds: number, everyMs: number, log: (message: string) => void): { first: Promise<void>; stop(): void } {
  const sweep = async () => {
    try {
      const ids = await expirePreviews(db, maxAgeSeconds);
      if (ids.length > 0) log(`expired the boundary upload previews ${ids.join(', ')}`);
    } catch (error) {
      log(`the preview sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const first = sweep();
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return { first, stop: () => clearInterval(timer) };
}

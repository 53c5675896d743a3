import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { geojsonFile, square, upload } from './boundaries-helpers.js';
import { ADMIN_PASSWORD, signIn } from './clients.js';

const file = (code: string) => geojsonFile([{ properties: { code, name: 'رهاشده' }, geometry: square(57.3, 30.02, 0.002) }]);

describe.each(backends)('boundary upload previews on $name', (backend) => {
  it('expire instead of staying previews for ever: periodically, and at start-up', async () => {
    const copy = await backend.copy();
    // A preview expires after 3 s here; the sweep runs as often.
    let app = await copy.start({ previewMaxAgeSeconds: 3, afterClose: async () => {} });
    let left: number;
    try {
      const gis = await signIn(app, 'admin', ADMIN_PASSWORD);
      const previewed = await upload(gis, 'walked-away.geojson', file('P-1'));
      expect(previewed.status).toBe(201);
      const id = previewed.body.id;
      const deadline = Date.now() + 120_000;
      while ((await gis.get(`/api/boundaries/uploads/${id}`)).body.status === 'preview') {
        if (Date.now() > deadline) throw new Error('the preview never expired');
        await sleep(250);
      }
      expect((await gis.get(`/api/boundaries/uploads/${id}`)).body.status).toBe('expired');
      const staged = await sql<{ n: number }>`select count(*)::int as n from boundary_upload_features where upload_id = ${id}`.execute(app.database.db);
      expect(staged.rows[0]!.n).toBe(0);
      const commit = await gis.post(`/api/boundaries/uploads/${id}/commit`);
      expect(commit.status).toBe(409);
      expect(commit.body.message).toContain('expired');

      // One left behind (as by a crash) two days ago, found by the sweep at the next start.
      const second = await upload(gis, 'crashed.geojson', file('P-2'));
      left = second.body.id;
      await sql`update boundary_uploads set created_at = now() - interval '2 days' where id = ${left}`.execute(app.database.db);
    } finally {
      await app.close();
    }
    app = await copy.start();
    try {
      const { rows } = await sql<{ status: string }>`select status from boundary_uploads where id = ${left!}`.execute(app.database.db);
      expect(rows[0]!.status).toBe('expired');
      // A fresh preview is untouched by the default (a day).
      const gis = await signIn(app, 'admin', ADMIN_PASSWORD);
      const fresh = await upload(gis, 'fresh.geojson', file('P-3'));
      expect((await gis.get(`/api/boundaries/uploads/${fresh.body.id}`)).body.status).toBe('preview');
    } finally {
      await app.close();
    }
  }, 900_000);
});

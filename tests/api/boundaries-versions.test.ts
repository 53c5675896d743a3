import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Geometry, MultiPolygon } from 'geojson';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { geojsonFile, layerState, square, upload, uploadAndCommit } from './boundaries-helpers.js';
import type { BoundaryVersionList } from '../../shared/boundaries-schemas.js';

// Versions and restore: the seed is version 1, a commit makes the next, a restore makes the
// layer exactly (attributes and geometry bytes) what it was, as a version of its own.

type Feature = { geometry: Geometry; properties: { id: number; code: string; name_fa: string; population: number } };

/** The tile of zoom z that holds lon/lat. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return [x, y];
}

describe.each(backends)('boundary versions and restore on $name', (backend) => {
  let app: FastifyInstance;
  let gis: Client;
  const all = async () => JSON.parse((await gis.get('/api/neighbourhoods')).text).features as Feature[];
  const revision = async (layer: string) =>
    (await sql<{ revision: number }>`select revision from layer_revisions where layer = ${layer}`.execute(app.database.db)).rows[0]!.revision;

  beforeAll(async () => {
    app = await backend.start();
    gis = await signedInAs(app, 'gis');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists the seed as version 1 of each layer', async () => {
    const neighbourhoods = (await gis.get<BoundaryVersionList>('/api/boundaries/versions')).body;
    const count = (await all()).length;
    expect(neighbourhoods.layer).toBe('neighbourhoods');
    expect(neighbourhoods.current).toBe(1);
    expect(neighbourhoods.items).toEqual([expect.objectContaining({
      version: 1, user: null, file: 'geodata/neighbourhoods.geojson',
      counts: { features: count, added: count, changed: 0, removed: 0, unchanged: 0 },
    })]);
    const counties = (await gis.get<BoundaryVersionList>('/api/boundaries/versions?layer=counties')).body;
    expect(counties.items[0]).toMatchObject({ version: 1, file: 'geodata/kerman-counties.geojson', counts: { features: 25 } });
    expect((await gis.get('/api/boundaries/versions?layer=provinces')).status).toBe(400);
  });

  it('commits a new version, keeps ids, changes tiles at once, and restores exactly', async () => {
    const v1 = await layerState(app, 'neighbourhoods');
    const before = await all();
    const target = before.find((f) => f.properties.code === 'KRM-C-001')!;
    const grown = JSON.parse(JSON.stringify(target.geometry)) as MultiPolygon;
    grown.coordinates[0]![0] = grown.coordinates[0]![0]!.map(([x, y]) => [Math.round((x! + 0.0005) * 1e6) / 1e6, y!]);

    const [x, y] = tileOf(grown.coordinates[0]![0]![0]![0]!, grown.coordinates[0]![0]![0]![1]!, 12);
    const tileUrl = `/tiles/neighbourhoods/12/${x}/${y}.mvt`;
    const tileBefore = await gis.get(tileUrl);
    expect(tileBefore.status).toBe(200);
    const revisionBefore = await revision('neighbourhoods');

    const { version } = await uploadAndCommit(gis, 'v2.geojson', geojsonFile([
      { properties: { code: 'KRM-C-001', name: target.properties.name_fa }, geometry: grown },
      { properties: { code: 'V-NEW', name: 'تازه‌ساز' }, geometry: square(57.3, 30.02, 0.002) },
    ]));
    expect(version).toBe(2);
    const v2 = await layerState(app, 'neighbourhoods');

    // Same id, new shape; the tile's revision (and so its ETag) moved with the commit.
    const after = (await all()).find((f) => f.properties.code === 'KRM-C-001')!;
    expect(after.properties.id).toBe(target.properties.id);
    expect(after.geometry).toEqual(grown);
    expect(await revision('neighbourhoods')).toBeGreaterThan(revisionBefore);
    const tileAfter = await gis.get(tileUrl);
    expect(tileAfter.headers.etag).not.toBe(tileBefore.headers.etag);
    const notModified = await gis.request({ method: 'GET', url: tileUrl, headers: { 'if-none-match': String(tileBefore.headers.etag) } });
    expect(notModified.status).toBe(200);

    const listed = (await gis.get<BoundaryVersionList>('/api/boundaries/versions')).body;
    expect(listed.current).toBe(2);
    expect(listed.items[0]).toMatchObject({
      version: 2, user: gis.username, file: 'v2.geojson',
      counts: { features: before.length + 1, added: 1, changed: 1, removed: 0 },
    });

    const restored = await gis.post('/api/boundaries/versions/1/restore');
    expect(restored.status, restored.text).toBe(201);
    expect(restored.body).toEqual({
      layer: 'neighbourhoods', version: 3, restored_from: 1,
      counts: { features: before.length, added: 0, changed: 1, removed: 1, unchanged: before.length - 1 },
    });
    // Exactly version 1 again: every attribute and the bytes of every geometry, ids included.
    expect(await layerState(app, 'neighbourhoods')).toEqual(v1);

    // A restore is a version too: restoring version 2 undoes it.
    expect((await gis.post('/api/boundaries/versions/2/restore', { layer: 'neighbourhoods' })).status).toBe(201);
    const again = await layerState(app, 'neighbourhoods');
    expect(new Set(again.keys())).toEqual(new Set(v2.keys()));
    for (const [code, state] of v2) {
      // V-NEW comes back as a new row (a new id); everything else is byte for byte version 2.
      if (code === 'V-NEW') expect(again.get(code)!.split('|').slice(1)).toEqual(state.split('|').slice(1));
      else expect(again.get(code)).toBe(state);
    }
    expect((await gis.get<BoundaryVersionList>('/api/boundaries/versions')).body.items.map((i) => [i.version, i.restored_from]))
      .toEqual([[4, 2], [3, 1], [2, null], [1, null]]);
    expect((await gis.post('/api/boundaries/versions/1/restore')).status).toBe(201);
    expect(await layerState(app, 'neighbourhoods')).toEqual(v1);

    const audit = await sql<{ action: string; entity_id: string }>`
      select action, entity_id from audit_log where entity = 'boundaries' order by id`.execute(app.database.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['commit', 'restore', 'restore', 'restore']);
  });

  it('refuses to restore what does not exist, and a removal that other records block', async () => {
    expect((await gis.post('/api/boundaries/versions/99/restore')).status).toBe(404);
    expect((await gis.post('/api/boundaries/versions/1/restore?layer=rivers')).status).toBe(400);

    // A neighbourhood added by an upload, then given a coverage record: undoing the upload
    // would remove it, so the restore is refused and names it.
    const { version } = await uploadAndCommit(gis, 'covered.geojson', geojsonFile([
      { properties: { code: 'V-COV', name: 'پوشش‌دار' }, geometry: square(57.32, 30.02, 0.002) },
    ]));
    const added = (await all()).find((f) => f.properties.code === 'V-COV')!;
    await sql`insert into coverage_records (neighbourhood_id, programme_id, from_date)
      select ${added.properties.id}, id, '2026-01-01' from programmes order by id limit 1`.execute(app.database.db);
    const refused = await gis.post(`/api/boundaries/versions/${version - 1}/restore`);
    expect(refused.status).toBe(409);
    expect(refused.body.blockers).toEqual([{ code: 'V-COV', name_fa: 'پوشش‌دار', references: { coverage_records: 1 } }]);
    expect((await gis.get<BoundaryVersionList>('/api/boundaries/versions')).body.current).toBe(version);
  });

  it('discards a preview, after which it can be neither committed nor shown', async () => {
    const previewed = await upload(gis, 'discard-me.geojson', geojsonFile([
      { properties: { code: 'V-DIS', name: 'دورریختنی' }, geometry: square(57.33, 30.02, 0.002) },
    ]));
    expect(previewed.status).toBe(201);
    const discarded = await gis.post(`/api/boundaries/uploads/${previewed.body.id}/discard`);
    expect(discarded.body).toEqual({ id: previewed.body.id, status: 'discarded' });
    expect((await gis.get(`/api/boundaries/uploads/${previewed.body.id}`)).body.status).toBe('discarded');
    expect((await gis.post(`/api/boundaries/uploads/${previewed.body.id}/commit`)).status).toBe(409);
    expect((await gis.get(`/api/boundaries/uploads/${previewed.body.id}/preview`)).status).toBe(409);
    expect((await gis.post(`/api/boundaries/uploads/${previewed.body.id}/discard`)).status).toBe(409);
    const staged = await sql<{ n: number }>`select count(*)::int as n from boundary_upload_features where upload_id = ${previewed.body.id}`.execute(app.database.db);
    expect(staged.rows[0]!.n).toBe(0);
    expect((await gis.get('/api/boundaries/uploads/999999')).status).toBe(404);
  });
});

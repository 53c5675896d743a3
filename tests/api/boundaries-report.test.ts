import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { confirmationOf, geojsonFile, square, upload } from './boundaries-helpers.js';

// The validation report, the mapping and the diff, with GeoJSON files written here: each
// feature is a case. The new boundaries sit in Kerman county around lon 57.25–57.35,
// lat 29.95–30.05, away from the seeded neighbourhoods of the city.

const bowtie: Polygon = { type: 'Polygon', coordinates: [[[57.33, 30.03], [57.34, 30.04], [57.34, 30.03], [57.33, 30.04], [57.33, 30.03]]] };
const rect = (w: number, s: number, e: number, n: number): Polygon =>
  ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

type Feature = { geometry: Geometry; properties: { code: string; name_fa: string; population: number; id: number } };

describe.each(backends)('boundary upload report, mapping and diff on $name', (backend) => {
  let app: FastifyInstance;
  let gis: Client;
  const neighbourhood = async (code: string): Promise<Feature | undefined> =>
    (JSON.parse((await gis.get(`/api/neighbourhoods?q=${encodeURIComponent(code)}`)).text).features as Feature[]).find((f) => f.properties.code === code);

  beforeAll(async () => {
    app = await backend.start();
    gis = await signedInAs(app, 'gis');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reports repairs, rejections, duplicates, the service area, overlaps and gaps', async () => {
    const p = (code: string | null, name: string | null, extra: Record<string, unknown> = {}) => ({ shenase: code, onvan: name, ...extra });
    const file = geojsonFile([
      { properties: p('R-001', 'پاپیونی'), geometry: bowtie },
      { properties: p('R-002', 'نقطه'), geometry: { type: 'Point', coordinates: [57.3, 30] } },
      { properties: p('R-003', 'بی‌شکل'), geometry: null },
      { properties: p(null, 'بی‌کد'), geometry: square(57.31, 30.03, 0.002) },
      { properties: p('R-005', null), geometry: square(57.315, 30.03, 0.002) },
      { properties: p('R-DUP', 'تکراری یک'), geometry: square(57.32, 30.03, 0.002) },
      { properties: p('R-DUP', 'تکراری دو'), geometry: square(57.325, 30.03, 0.002) },
      { properties: p('R-008', 'جمعیت بد', { jam: 'abc' }), geometry: square(57.31, 30.045, 0.002) },
      { properties: p('R-009', 'ارقام فارسی', { jam: '۱۲٬۵۰۰' }), geometry: square(57.315, 30.045, 0.002) },
      { properties: p('R-010', 'شهرستان ناشناس', { shahr: 'Atlantis' }), geometry: square(57.32, 30.045, 0.002) },
      { properties: p('R-011', 'دور در تهران', { shahr: 'کرمان' }), geometry: square(51.3, 35.6, 0.01) },
      { properties: p('R-012', 'دور بی‌شهرستان'), geometry: square(51.32, 35.6, 0.01) },
      { properties: p('R-013', 'همپوشان یک'), geometry: square(57.3, 30.0, 0.01) },
      { properties: p('R-014', 'همپوشان دو'), geometry: square(57.305, 30.0, 0.01) },
      // Four strips around a 0.01° square hole: a gap of about 1.07 km².
      { properties: p('R-015', 'حلقه جنوب'), geometry: rect(57.25, 29.95, 57.28, 29.96) },
      { properties: p('R-016', 'حلقه شمال'), geometry: rect(57.25, 29.97, 57.28, 29.98) },
      { properties: p('R-017', 'حلقه غرب'), geometry: rect(57.25, 29.96, 57.26, 29.97) },
      { properties: p('R-018', 'حلقه شرق'), geometry: rect(57.27, 29.96, 57.28, 29.97) },
    ]);
    const mapping = { code: 'shenase', name_fa: 'onvan', population: 'jam', county: 'shahr' };
    const res = await upload(gis, 'report-cases.geojson', file, { mapping });
    expect(res.status, res.text).toBe(201);
    const { report, diff } = res.body;

    expect(report.features).toBe(18);
    expect(report.repaired).toHaveLength(1);
    expect(report.repaired[0]).toMatchObject({ index: 0, code: 'R-001' });
    expect(report.repaired[0]!.reason).toMatch(/self-intersection/i);

    const rejected = Object.fromEntries(report.rejected.map((r) => [r.index, r.reason]));
    expect(rejected).toEqual({
      1: 'not_polygon', 2: 'empty', 3: 'missing_code', 4: 'missing_name', 5: 'duplicate_code', 6: 'duplicate_code',
      7: 'bad_value', 9: 'unknown_county', 11: 'outside_counties',
    });
    expect(report.rejected.find((r) => r.index === 7)!.message).toContain('abc');
    expect(report.duplicate_codes).toEqual([{ code: 'R-DUP', indexes: [5, 6] }]);
    expect(report.accepted).toBe(9);

    expect(report.service_area).toBe('counties');
    expect(report.outside_service_area).toHaveLength(1);
    expect(report.outside_service_area[0]).toMatchObject({ index: 10, code: 'R-011', outside_pct: 100 });

    const newOverlap = report.overlaps.find((o) => o.a.code === 'R-013' && o.b.code === 'R-014');
    expect(newOverlap, JSON.stringify(report.overlaps)).toBeDefined();
    expect(newOverlap!.a.index).toBe(12);
    // 0.005° × 0.01° at lat 30: 482 m × 1109 m.
    expect(newOverlap!.area_m2).toBeGreaterThan(0.5e6);
    expect(newOverlap!.area_m2).toBeLessThan(0.57e6);
    // The strips of the ring share their edges: touching is no overlap.
    expect(report.overlaps.filter((o) => /R-01[5-8]/.test(o.a.code) || /R-01[5-8]/.test(o.b.code))).toEqual([]);

    expect(report.gaps).toHaveLength(1);
    expect(report.gaps[0]!.county_fa).toBe('کرمان');
    expect(report.gaps[0]!.area_m2).toBeGreaterThan(1.0e6);
    expect(report.gaps[0]!.area_m2).toBeLessThan(1.12e6);
    const [x, y] = report.gaps[0]!.point as [number, number];
    expect(x).toBeGreaterThan(57.26);
    expect(x).toBeLessThan(57.27);
    expect(y).toBeGreaterThan(29.96);
    expect(y).toBeLessThan(29.97);

    expect(diff.counts).toMatchObject({ added: 9, changed: 0, removed: 0 });
    expect(report.defaults.map((d) => d.field)).toEqual(expect.arrayContaining(['name_en', 'households', 'deprivation']));

    // The overlaps and the feature far outside must be confirmed by number before the commit.
    const overlapCount = report.overlaps.length;
    const unconfirmed = await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body).toMatchObject({
      error: 'conflict', code: 'confirmation_required', values: { overlaps: overlapCount, outside_service_area: 1, county_matches: 0 },
    });
    const wrongCount = await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`, { confirm: { overlaps: overlapCount, outside_service_area: 2 } });
    expect(wrongCount.status).toBe(409);

    // What passed lands as read: the Persian digits as a number, the bowtie repaired.
    const committed = await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`, { confirm: { overlaps: overlapCount, outside_service_area: 1 } });
    expect(committed.status, committed.text).toBe(200);
    expect((await neighbourhood('R-009'))!.properties.population).toBe(12500);
    const repaired = await neighbourhood('R-001');
    expect(repaired!.geometry.type).toBe('MultiPolygon');
    expect((repaired!.geometry as MultiPolygon).coordinates).toHaveLength(2); // the bowtie's two triangles
    expect(await neighbourhood('R-DUP')).toBeUndefined();
    const restored = await gis.post(`/api/boundaries/versions/${res.body.base_version}/restore`);
    expect(restored.status, restored.text).toBe(201);
  });

  it('guesses the mapping from field names, and takes the uploader’s instead', async () => {
    const guessed = await upload(gis, 'guess.geojson', geojsonFile([
      { properties: { CODE: 'G-001', Name: 'حدس', POP_1395: 4000, Name_En: 'Guess' }, geometry: square(57.3, 30.02, 0.002) },
    ]));
    expect(guessed.status, guessed.text).toBe(201);
    expect(guessed.body.mapping).toEqual({ code: 'CODE', name_fa: 'Name', name_en: 'Name_En', population: 'POP_1395' });
    expect(guessed.body.fields.map((f) => f.name)).toEqual(['CODE', 'Name', 'POP_1395', 'Name_En']);

    const file = geojsonFile([{ properties: { shenase: 'G-002', onvan: 'دستی' }, geometry: square(57.3, 30.02, 0.002) }]);
    const unmapped = await upload(gis, 'odd-names.geojson', file);
    expect(unmapped.status).toBe(201);
    expect(unmapped.body.mapping).toEqual({});
    expect(unmapped.body.report.rejected).toEqual([
      expect.objectContaining({ index: 0, reason: 'missing_code', message: 'no field is mapped to code' }),
    ]);
    const mapped = await upload(gis, 'odd-names.geojson', file, { mapping: { code: 'shenase', name_fa: 'onvan' } });
    expect(mapped.status).toBe(201);
    expect(mapped.body.mapping).toEqual({ code: 'shenase', name_fa: 'onvan' });
    expect(mapped.body.diff.added).toEqual([{ code: 'G-002', name_fa: 'دستی' }]);

    const wrongField = await upload(gis, 'odd-names.geojson', file, { mapping: { code: 'kod' } });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.message).toContain('shenase, onvan');
    const wrongTarget = await upload(gis, 'odd-names.geojson', file, { mapping: { colour: 'onvan' } });
    expect(wrongTarget.status).toBe(400);
    const countyOfCounty = await upload(gis, 'odd-names.geojson', file, { layer: 'counties', mapping: { county: 'onvan' } });
    expect(countyOfCounty.status).toBe(400);
    for (const id of [guessed.body.id, unmapped.body.id, mapped.body.id]) {
      expect((await gis.post(`/api/boundaries/uploads/${id}/discard`)).status).toBe(200);
    }
  });

  it('classifies added, changed (shape and attributes), unchanged; ids stay through a commit', async () => {
    const [one, two, three] = await Promise.all(['KRM-C-001', 'KRM-C-002', 'KRM-C-003'].map((c) => neighbourhood(c)));
    const shifted = JSON.parse(JSON.stringify(three!.geometry)) as MultiPolygon;
    shifted.coordinates = shifted.coordinates.map((poly) => poly.map((ring) => ring.map(([x, y]) => [Math.round((x! + 0.001) * 1e6) / 1e6, y!])));
    const row = (f: Feature, geometry: Geometry, population: number) =>
      ({ properties: { code: f.properties.code, name: f.properties.name_fa, pop: population }, geometry });
    const file = geojsonFile([
      row(one!, one!.geometry, one!.properties.population + 100),
      row(two!, two!.geometry, two!.properties.population),
      row(three!, shifted, three!.properties.population),
      { properties: { code: 'D-NEW', name: 'تازه', pop: 10 }, geometry: square(57.3, 30.02, 0.002) },
    ]);
    const res = await upload(gis, 'diff-cases.geojson', file, { mapping: { code: 'code', name_fa: 'name', population: 'pop' } });
    expect(res.status, res.text).toBe(201);
    const { diff } = res.body;
    expect(diff.counts).toMatchObject({ added: 1, changed: 2, unchanged: 1, removed: 0 });
    expect(diff.added).toEqual([{ code: 'D-NEW', name_fa: 'تازه' }]);
    expect(diff.unchanged).toEqual(['KRM-C-002']);
    const byCode = Object.fromEntries(diff.changed.map((c) => [c.code, c]));
    expect(byCode['KRM-C-001']).toEqual({
      code: 'KRM-C-001', name_fa: one!.properties.name_fa, geometry_change_pct: null,
      attributes: [{ field: 'population', from: one!.properties.population, to: one!.properties.population + 100 }],
    });
    expect(byCode['KRM-C-003']!.attributes).toEqual([]);
    expect(byCode['KRM-C-003']!.geometry_change_pct).toBeGreaterThan(0);

    const preview = JSON.parse((await gis.get(`/api/boundaries/uploads/${res.body.id}/preview`)).text) as {
      features: { properties: { code: string; change: string }; before: Geometry | null }[];
    };
    const previewed = Object.fromEntries(preview.features.map((f) => [f.properties.code, f]));
    expect(previewed['KRM-C-003']!.properties.change).toBe('changed');
    expect(previewed['KRM-C-003']!.before).toEqual(three!.geometry);
    expect(previewed['KRM-C-001']!.before).toBeNull(); // only its population changed
    expect(previewed['KRM-C-002']!.properties.change).toBe('unchanged');
    expect(previewed['D-NEW']!.properties.change).toBe('added');

    expect((await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`, confirmationOf(res.body))).status).toBe(200);
    const [after1, after3] = await Promise.all([neighbourhood('KRM-C-001'), neighbourhood('KRM-C-003')]);
    expect(after1!.properties.id).toBe(one!.properties.id);
    expect(after1!.properties.population).toBe(one!.properties.population + 100);
    expect(after1!.geometry).toEqual(one!.geometry);
    expect(after3!.properties.id).toBe(three!.properties.id);
    expect(after3!.geometry).toEqual(shifted);
    expect((await gis.post(`/api/boundaries/versions/${res.body.base_version}/restore`)).status).toBe(201);
    expect((await neighbourhood('KRM-C-003'))!.geometry).toEqual(three!.geometry);
  });

  it('replace mode removes what the file lacks, except what other records point at', async () => {
    const all = JSON.parse((await gis.get('/api/neighbourhoods')).text).features as Feature[];
    const keep = all.find((f) => f.properties.code === 'KRM-C-001')!;
    const file = geojsonFile([{ properties: { code: keep.properties.code, name: keep.properties.name_fa }, geometry: keep.geometry }]);
    const res = await upload(gis, 'only-one.geojson', file, { mode: 'replace' });
    expect(res.status, res.text).toBe(201);
    const { diff, report } = res.body;
    expect(diff.counts.unchanged).toBe(1);
    expect(diff.counts.removed + diff.counts.blocked).toBe(all.length - 1);
    expect(diff.counts.blocked).toBeGreaterThan(0);
    expect(diff.counts.removed).toBeGreaterThan(0);
    expect(report.blockers).toHaveLength(diff.counts.blocked);
    // The seeded coverage (Karamat plan, progress councils) points at neighbourhoods.
    const tables = new Set(report.blockers.flatMap((b) => Object.keys(b.references)));
    expect(tables).toContain('coverage_records');
    for (const b of report.blockers) expect(Object.values(b.references).every((n) => n > 0)).toBe(true);

    const preview = JSON.parse((await gis.get(`/api/boundaries/uploads/${res.body.id}/preview`)).text) as {
      features: { properties: { code: string; change: string; blocked: boolean } }[];
    };
    expect(preview.features.filter((f) => f.properties.change === 'removed')).toHaveLength(diff.counts.removed);
    expect(preview.features.filter((f) => f.properties.blocked)).toHaveLength(diff.counts.blocked);

    expect((await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`)).status).toBe(200);
    const left = JSON.parse((await gis.get('/api/neighbourhoods')).text).features as Feature[];
    expect(left.map((f) => f.properties.code).sort()).toEqual([keep.properties.code, ...report.blockers.map((b) => b.code)].sort());

    expect((await gis.post(`/api/boundaries/versions/${res.body.base_version}/restore`)).status).toBe(201);
    expect(JSON.parse((await gis.get('/api/neighbourhoods')).text).features).toHaveLength(all.length);
  });

  it('commits county boundaries too', async () => {
    const counties = JSON.parse((await gis.get('/api/counties')).text).features as { properties: { code: string; name_fa: string; name_en: string }; geometry: Geometry }[];
    const anar = counties.find((c) => c.properties.name_fa === 'انار')!;
    const res = await upload(gis, 'anar.geojson', geojsonFile([
      { properties: { code: anar.properties.code, name_fa: anar.properties.name_fa, name_en: 'Anar (renamed)' }, geometry: anar.geometry },
    ]), { layer: 'counties' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.diff.changed).toEqual([{
      code: anar.properties.code, name_fa: 'انار', geometry_change_pct: null,
      attributes: [{ field: 'name_en', from: anar.properties.name_en, to: 'Anar (renamed)' }],
    }]);
    // Anar lies inside the province outline; its OpenStreetMap edges overlap two neighbours
    // by slivers over 100 m², which the commit accepts by number.
    expect(res.body.report.outside_service_area).toEqual([]);
    const { version } = (await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`, confirmationOf(res.body))).body;
    const renamed = JSON.parse((await gis.get('/api/counties')).text).features.find((c: { properties: { code: string } }) => c.properties.code === anar.properties.code);
    expect(renamed.properties.name_en).toBe('Anar (renamed)');
    const versions = (await gis.get('/api/boundaries/versions?layer=counties')).body;
    expect(versions.current).toBe(version);
    expect((await gis.post(`/api/boundaries/versions/${version - 1}/restore`, { layer: 'counties' })).status).toBe(201);
  });

  it('leaves uploads to GIS staff and admins', async () => {
    const planner = await signedInAs(app, 'planner');
    const res = await upload(planner, 'x.geojson', geojsonFile([]));
    expect(res.status).toBe(403);
  });
});

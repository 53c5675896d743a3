import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TILE_EXTENT } from '../../server/tiles/queries.js';
import { lonLatToTile, tilesCoveringBbox, type TileId } from '../../server/tiles/tile-math.js';
import type { Agency, AgencyList, Intervention, InterventionList } from '../../shared/method-schemas.js';
import type { TileJson } from '../../shared/tiles-schemas.js';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { seedIds, type SeedIds } from './method-fixtures.js';
import { decode, plannerCookie, type DecodedFeature } from './tile-helpers.js';

// The interventions vector tiles (server/interventions/tile-layer.ts) against the seed's
// interventions (geodata/programme.json, drawn areas from geodata/method.json) and ones made
// here through the API. The GeoJSON export is the reference for where each one stands.

type ExportCollection = {
  features: { id: number; geometry: { type: string; coordinates: unknown }; properties: { has_area: boolean; geometry_source: string } }[];
};

/** A position as tile units of tile t (x east, y south from the tile's north-west corner). */
function tileUnits([lon, lat]: number[], t: TileId): [number, number] {
  const n = 2 ** t.z;
  const x = ((lon! + 180) / 360) * n;
  const y = ((1 - Math.log(Math.tan(Math.PI / 4 + (lat! * Math.PI) / 360)) / Math.PI) / 2) * n;
  return [(x - t.x) * TILE_EXTENT, (y - t.y) * TILE_EXTENT];
}

/** The tile's properties of an intervention as the API describes it; nulls are not written to tiles. */
function expectedProperties(i: Intervention, agencies: readonly Agency[], derived: boolean): Record<string, unknown> {
  const lead = agencies.find((a) => a.id === i.lead_agency_id)!;
  const agencyIds = [...new Set([i.lead_agency_id, ...i.partners.map((p) => p.agency_id)])].sort((a, b) => a - b);
  const all: Record<string, unknown> = {
    id: i.id, title: i.title, title_en: i.title_en, category: i.category, status: i.status,
    lead_agency_id: i.lead_agency_id, lead_agency_fa: lead.name_fa, lead_agency_en: lead.name_en,
    agency_ids: `,${agencyIds.join(',')},`, start_date: i.start_date, end_date: i.end_date,
    has_area: !derived && i.geometry?.type !== 'Point', geometry_source: derived ? 'neighbourhoods' : 'drawn',
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null));
}

describe.each(backends)('interventions as vector tiles on $name', (backend) => {
  let app: FastifyInstance;
  let planner: Client;
  let cookie: string;
  let ids: SeedIds;
  let agencies: Agency[];

  beforeAll(async () => {
    app = await backend.start();
    planner = await signedInAs(app, 'planner');
    cookie = await plannerCookie(app);
    ids = await seedIds(planner);
    agencies = (await planner.get<AgencyList>('/api/agencies')).body.items;
  });
  afterAll(async () => {
    await app?.close();
  });

  const getTile = (t: TileId, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/tiles/interventions/${t.z}/${t.x}/${t.y}.mvt`, headers: { cookie, ...headers } });
  const readTile = async (t: TileId) => {
    const res = await getTile(t);
    expect(res.statusCode).toBe(200);
    return decode(new Uint8Array(res.rawPayload));
  };
  const exported = async (id: number) =>
    (await planner.get<ExportCollection>('/api/interventions.geojson')).body.features.find((f) => f.id === id)!;

  it('describes the layer and its label layer in TileJSON', async () => {
    const { status, body } = await planner.get<TileJson>('/tiles/interventions.json');
    expect(status).toBe(200);
    expect(body.tiles).toEqual(['http://localhost:80/tiles/interventions/{z}/{x}/{y}.mvt']);
    expect([body.minzoom, body.maxzoom]).toEqual([6, 15]);
    expect(body.vector_layers.map((l) => l.id)).toEqual(['interventions', 'interventions_labels']);
    expect(body.vector_layers[0]!.fields).toEqual({
      id: 'Number', title: 'String', title_en: 'String', category: 'String', status: 'String', lead_agency_id: 'Number',
      lead_agency_fa: 'String', lead_agency_en: 'String', agency_ids: 'String', start_date: 'String', end_date: 'String',
      has_area: 'Boolean', geometry_source: 'String',
    });
    expect(body.vector_layers[1]!.fields).toEqual({ id: 'Number', category: 'String', status: 'String', lead_agency_id: 'Number', agency_ids: 'String' });
    // The seed's interventions lie in Kerman city and on the Jiroft margin (about 57.7° E, 28.7° N).
    const [west, south, east, north] = body.bounds;
    expect(west).toBeGreaterThan(56.9);
    expect(east).toBeLessThan(58);
    expect(south).toBeLessThan(28.8);
    expect(north).toBeGreaterThan(30.2);
  });

  it('holds a drawn area as a polygon and an intervention without geometry as a point inside its neighbourhoods, with their attributes', async () => {
    const all = (await planner.get<InterventionList>('/api/interventions')).body.items;
    const allahAbad = all.find((i) => i.title_en === 'Allah-Abad Township upgrading')!;
    const jiroft = all.find((i) => i.title_en === 'Flood channel and street lighting on the Jiroft margin')!;
    expect(allahAbad.geometry?.type).toBe('MultiPolygon');
    expect(jiroft.geometry).toBeNull();

    // The point the GeoJSON export puts the Jiroft intervention at, and the tile it falls in.
    const point = (await exported(jiroft.id)).geometry.coordinates as number[];
    const pointTile = lonLatToTile(point[0]!, point[1]!, 12);
    const atPoint = await readTile(pointTile);
    const feature = atPoint.interventions!.find((f) => f.id === jiroft.id)!;
    expect(feature.type).toBe(1);
    expect(feature.properties).toEqual(expectedProperties(jiroft, agencies, true));
    const [x, y] = tileUnits(point, pointTile);
    expect(Math.hypot(feature.rings[0]![0]![0]! - x, feature.rings[0]![0]![1]! - y)).toBeLessThanOrEqual(1);
    const label = atPoint.interventions_labels!.find((f) => f.id === jiroft.id)!;
    expect(label.properties).toEqual({ id: jiroft.id, category: 'civil_environmental', status: 'planned', lead_agency_id: jiroft.lead_agency_id, agency_ids: feature.properties.agency_ids });
    expect(label.rings).toEqual(feature.rings);
    // Kerman city is 180 km away: none of its interventions is in the Jiroft tile.
    expect(atPoint.interventions!.map((f) => f.id)).not.toContain(allahAbad.id);

    // The drawn area over every tile it covers: a polygon in each, one label point in all.
    const rings = (allahAbad.geometry!.coordinates as number[][][][]).flat(2);
    const bbox = [
      Math.min(...rings.map((p) => p[0]!)), Math.min(...rings.map((p) => p[1]!)),
      Math.max(...rings.map((p) => p[0]!)), Math.max(...rings.map((p) => p[1]!)),
    ] as [number, number, number, number];
    const tiles = tilesCoveringBbox(bbox, 14);
    let labels = 0;
    const drawn: DecodedFeature[] = [];
    for (const t of tiles) {
      const layers = await readTile(t);
      drawn.push(...(layers.interventions ?? []).filter((f) => f.id === allahAbad.id));
      for (const l of layers.interventions_labels ?? []) {
        const [lx, ly] = l.rings[0]![0]!;
        if (l.id === allahAbad.id && lx! >= 0 && lx! < TILE_EXTENT && ly! >= 0 && ly! < TILE_EXTENT) labels++;
      }
    }
    expect(drawn.length).toBeGreaterThanOrEqual(1);
    for (const f of drawn) {
      expect(f.type).toBe(3);
      expect(f.properties).toEqual(expectedProperties(allahAbad, agencies, false));
    }
    expect(labels).toBe(1);
  });

  it('changes the tile and its ETag when an intervention is created or edited through the API', async () => {
    const square = { type: 'Polygon', coordinates: [[[57.1, 30.25], [57.11, 30.25], [57.11, 30.26], [57.1, 30.26], [57.1, 30.25]]] };
    const t = lonLatToTile(57.105, 30.255, 13);
    const before = await getTile(t);
    expect((await getTile(t)).headers['x-tile-cache']).toBe('hit');
    const etag = String(before.headers.etag);

    const created = await planner.post<Intervention>('/api/interventions', {
      title: 'پارک محله جوپار', title_en: 'Jupar neighbourhood park', category: 'civil_environmental',
      lead_agency_id: ids.agency('municipality'), neighbourhood_ids: [ids.neighbourhood('KRM-C-031')],
      partners: [{ agency_id: ids.agency('progress_council'), commitment: 'نگهداری', progress: 0 }],
      start_date: '2027-03-21', geometry: square,
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    const afterCreate = await getTile(t, { 'if-none-match': etag });
    expect(afterCreate.statusCode).toBe(200);
    expect(afterCreate.headers['x-tile-cache']).toBe('miss');
    expect(afterCreate.headers.etag).not.toBe(etag);
    const polygon = decode(new Uint8Array(afterCreate.rawPayload)).interventions!.find((f) => f.id === id)!;
    expect(polygon.type).toBe(3);
    expect(polygon.properties).toEqual(expectedProperties(created.body, agencies, false));
    expect(polygon.properties).toMatchObject({ status: 'planned', has_area: true, geometry_source: 'drawn' });

    // Without its own geometry it moves to a point inside its neighbourhood; without partners
    // its agencies are the lead alone.
    const patched = await planner.patch<Intervention>(`/api/interventions/${id}`, { geometry: null, status: 'active', partners: [] });
    expect(patched.status, patched.text).toBe(200);
    const afterEdit = await getTile(t, { 'if-none-match': String(afterCreate.headers.etag) });
    expect(afterEdit.statusCode).toBe(200);
    expect(afterEdit.headers.etag).not.toBe(afterCreate.headers.etag);
    expect(decode(new Uint8Array(afterEdit.rawPayload)).interventions?.find((f) => f.id === id && f.type === 3)).toBeUndefined();

    const point = (await exported(id)).geometry.coordinates as number[];
    const moved = (await readTile(lonLatToTile(point[0]!, point[1]!, 13))).interventions!.find((f) => f.id === id)!;
    expect(moved.type).toBe(1);
    expect(moved.properties).toEqual(expectedProperties(patched.body, agencies, true));
    expect(moved.properties).toMatchObject({ status: 'active', has_area: false, geometry_source: 'neighbourhoods', agency_ids: `,${ids.agency('municipality')},` });
  });
});

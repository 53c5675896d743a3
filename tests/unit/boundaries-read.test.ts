import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Geometry, Position } from 'geojson';
import {
  ArchiveTooLargeError, InvalidUploadOptionError, MissingCrsError, UnreadableFileError, UnsafeArchiveError,
  UnsupportedFormatError, SUPPORTED_FORMATS, guessMapping, readUpload, type ReadResult,
} from '../../server/boundaries/read-upload.js';
import {
  FIELD, NEIGHBOURHOODS, makeBoundaryFixtures, makeZip, type BoundaryFixtures,
} from '../fixtures/boundaries/make-fixtures.js';

// Fixtures are made by ogr2ogr (the project's gdal3.js) in beforeAll, from the GeoJSON in
// tests/fixtures/boundaries/make-fixtures.ts. To write them out and inspect them:
//   npx tsx tests/fixtures/boundaries/make-fixtures.ts /tmp/boundary-fixtures

let fixtures: BoundaryFixtures;
beforeAll(async () => {
  fixtures = await makeBoundaryFixtures();
}, 30_000);

const read = (filename: string, options?: Parameters<typeof readUpload>[1]) =>
  readUpload({ filename, data: fixtures[filename]! }, options);

/** 1e-7 degrees is about 1 cm; GeoJSON out of ogr2ogr keeps 7 decimals. */
const TOLERANCE = 1e-6;

function positions(geometry: Geometry): Position[] {
  if (geometry.type === 'GeometryCollection') return geometry.geometries.flatMap(positions);
  const walk = (value: unknown): Position[] =>
    Array.isArray(value) && typeof value[0] === 'number' ? [value as Position] : (value as unknown[]).flatMap(walk);
  return walk(geometry.coordinates);
}

/**
 * Same vertices within TOLERANCE, in any order: shapefiles store outer rings clockwise, so
 * GDAL hands their rings back reversed.
 */
function expectSameVertices(actual: Geometry, expected: Geometry): void {
  const left = positions(actual);
  const wanted = positions(expected);
  expect(left).toHaveLength(wanted.length);
  for (const [x, y] of wanted) {
    const i = left.findIndex(([ax, ay]) => Math.abs(ax! - x!) < TOLERANCE && Math.abs(ay! - y!) < TOLERANCE);
    expect(i, `vertex ${x},${y}`).toBeGreaterThanOrEqual(0);
    left.splice(i, 1);
  }
}

/** Every neighbourhood is there, found by code, with its exact Persian name and its shape. */
function expectNeighbourhoods(result: ReadResult, nameField: string): void {
  expect(result.features).toHaveLength(NEIGHBOURHOODS.length);
  expect(result.features.map((f) => f.index)).toEqual([0, 1, 2]);
  for (const n of NEIGHBOURHOODS) {
    const feature = result.features.find((f) => f.properties[FIELD.code] === n.code);
    expect(feature, n.code).toBeDefined();
    expect(feature!.properties[nameField]).toBe(n.name_fa);
    expect(feature!.properties[FIELD.nameEn]).toBe(n.name_en);
    expect(Number(feature!.properties[FIELD.population])).toBe(n.population);
    expect(['Polygon', 'MultiPolygon']).toContain(feature!.geometry?.type);
    expectSameVertices(feature!.geometry!, n.geometry);
  }
  const fieldNames = result.fields.map((f) => f.name);
  expect(fieldNames).toEqual(expect.arrayContaining([FIELD.code, FIELD.nameEn, FIELD.population]));
  expect(fieldNames).toContain(nameField);
}

describe('readUpload: formats', () => {
  it.each([
    // file, GDAL driver, source CRS, the field holding the Persian name
    ['mahalleh-utm40n-cp1256.zip', 'ESRI Shapefile', 'EPSG:32640', FIELD.name], // .cpg says CP1256
    ['mahalleh-utm40n-ldid87.zip', 'ESRI Shapefile', 'EPSG:32640', FIELD.name], // no .cpg, LDID 87
    ['mahalleh-3857.gpkg', 'GPKG', 'EPSG:3857', FIELD.name],
    ['mahalleh-utm39n.fgb', 'FlatGeobuf', 'EPSG:32639', FIELD.name],
    ['mahalleh.geojson', 'GeoJSON', 'EPSG:4326', FIELD.name],
    ['mahalleh.gml', 'GML', 'EPSG:4326', FIELD.name], // GML 3 in EPSG:4326 is lat/lon on the wire
    ['mahalleh.kml', 'KML', 'EPSG:4326', 'Name'],
    ['mahalleh.kmz', 'KML', 'EPSG:4326', 'Name'],
    ['mahalleh-wkt.csv', 'CSV', 'EPSG:4326', FIELD.name],
    ['mahalleh-wkt-cp1256.csv', 'CSV', 'EPSG:4326', FIELD.name], // Windows-1256 bytes
  ])('%s', async (file, format, crs, nameField) => {
    const result = await read(file);
    expect(result.format).toBe(format);
    expect(result.crs).toBe(crs);
    expect(result.layerName).toBe(file.startsWith('mahalleh-wkt') ? file.replace('.csv', '') : 'mahalleh');
    expectNeighbourhoods(result, nameField);
  });

  it('reads the attributes of KML placemarks (ExtendedData), which GDAL\'s KML driver drops', async () => {
    const result = await read('mahalleh.kml');
    expect(result.fields.map((f) => f.name)).toEqual(['Name', 'Description', 'code', 'name_en', FIELD.population]);
    expect(result.features[0]!.properties).toMatchObject({ Name: NEIGHBOURHOODS[0]!.name_fa, code: 'K-001' });
  });

  it('keeps the zero-width non-joiner and gives Persian yeh for a Windows-1256 shapefile', async () => {
    const result = await read('mahalleh-utm40n-cp1256.zip');
    const names = result.features.map((f) => f.properties[FIELD.name] as string);
    expect(names).toContain('شهرک الله\u200cآباد');
    expect(names.join('')).not.toMatch(/[\u064A\u0643]/); // no Arabic yeh or kaf left
    expect(result.fields.map((f) => f.name)).toContain('جمعیت'); // the field name too
  });

  it('reads a CSV of longitude/latitude points (X/Y columns)', async () => {
    const result = await read('mahalleh-points.csv');
    expect(result).toMatchObject({ format: 'CSV', crs: 'EPSG:4326' });
    expect(result.fields.map((f) => f.name)).not.toContain('X'); // KEEP_GEOM_COLUMNS=NO
    for (const n of NEIGHBOURHOODS) {
      const feature = result.features.find((f) => f.properties.code === n.code)!;
      expect(feature.properties[FIELD.name]).toBe(n.name_fa);
      expect(feature.geometry?.type).toBe('Point');
      expectSameVertices(feature.geometry!, { type: 'Point', coordinates: positions(n.geometry)[0]! });
    }
  });

  it('reads a shapefile in the encoding the caller names, and refuses one GDAL cannot read', async () => {
    const result = await read('mahalleh-utm40n-ldid87.zip', { encoding: 'CP1256' });
    expect(result.features[1]!.properties[FIELD.name]).toBe(NEIGHBOURHOODS[1]!.name_fa);
    await expect(read('mahalleh-utm40n-ldid87.zip', { encoding: 'CP720' })).rejects.toBeInstanceOf(InvalidUploadOptionError);
    await expect(read('mahalleh-utm40n-ldid87.zip', { encoding: '../x' })).rejects.toBeInstanceOf(InvalidUploadOptionError);
  });

  it('reads a zip whose end record marks the directory offset as zip64 without a zip64 record (zip -fz -)', async () => {
    const zip = Buffer.from(fixtures['mahalleh-utm40n-cp1256.zip']!);
    zip.writeUInt32LE(0xffffffff, zip.length - 22 + 16);
    expect((await readUpload({ filename: 'streamed.zip', data: zip })).features).toHaveLength(3);
  });

  it('serves several uploads at once, one after the other inside GDAL', async () => {
    const results = await Promise.all(['mahalleh.geojson', 'mahalleh-3857.gpkg', 'mahalleh.kml'].map((f) => read(f)));
    expect(results.map((r) => r.features.length)).toEqual([3, 3, 3]);
  });
});

describe('readUpload: coordinate systems', () => {
  it('refuses a shapefile in UTM without .prj, asking for source_srs', async () => {
    const error = await read('mahalleh-utm40n-noprj.zip').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingCrsError);
    expect((error as Error).message).toMatch(/source_srs/);
    expect(error).toMatchObject({ statusCode: 422 });
  });

  it('reads it with source_srs', async () => {
    const result = await read('mahalleh-utm40n-noprj.zip', { sourceSrs: 'EPSG:32640' });
    expect(result.crs).toBe('EPSG:32640');
    expectNeighbourhoods(result, FIELD.name);
  });

  it('takes lon/lat coordinates without a CRS as EPSG:4326', async () => {
    const csv = 'id,lon,lat\n1,57.07,30.28\n';
    const result = await readUpload({ filename: 'p.csv', data: Buffer.from(csv) });
    expect(result.crs).toBe('EPSG:4326');
    expect(result.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [57.07, 30.28] });
  });

  it('refuses a CSV of UTM x/y without source_srs', async () => {
    const csv = 'id,x,y\n1,506731.6,3349814.3\n';
    await expect(readUpload({ filename: 'p.csv', data: Buffer.from(csv) })).rejects.toBeInstanceOf(MissingCrsError);
  });

  it('refuses a source_srs that is not a CRS, or that names a file', async () => {
    for (const sourceSrs of ['EPSG:999999', 'not a crs', '/etc/passwd']) {
      await expect(read('mahalleh-utm40n-noprj.zip', { sourceSrs })).rejects.toBeInstanceOf(InvalidUploadOptionError);
    }
  });
});

describe('readUpload: hostile and broken uploads', () => {
  it('refuses a zip that declares more than maxExpandedBytes', async () => {
    const bomb = makeZip([{ name: 'bomb.shp', data: Buffer.alloc(50 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(100 * 1024); // 50 MB of zeros deflates to about 50 kB
    const error = await readUpload({ filename: 'bomb.zip', data: bomb }, { limits: { maxExpandedBytes: 10 * 1024 * 1024 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveTooLargeError);
    expect(error).toMatchObject({ statusCode: 413 });
  });

  it('stops inflating an entry that expands past the size it declares', async () => {
    const liar = makeZip([{ name: 'bomb.shp', data: Buffer.alloc(50 * 1024 * 1024), declaredSize: 1000 }]);
    await expect(readUpload({ filename: 'liar.zip', data: liar })).rejects.toBeInstanceOf(ArchiveTooLargeError);
  });

  it('refuses a zip with too many entries', async () => {
    const many = makeZip(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') })));
    await expect(readUpload({ filename: 'many.zip', data: many }, { limits: { maxEntries: 5 } }))
      .rejects.toBeInstanceOf(ArchiveTooLargeError);
  });

  it.each([
    ['../evil.shp'],
    ['mahalleh/../../evil.shp'],
    ['..\\evil.shp'],
    ['/etc/evil.shp'],
    ['C:/evil.shp'],
  ])('refuses the zip entry %s', async (name) => {
    const zip = makeZip([{ name, data: Buffer.from('x') }]);
    await expect(readUpload({ filename: 'evil.zip', data: zip })).rejects.toBeInstanceOf(UnsafeArchiveError);
  });

  it('refuses a zip holding a symbolic link', async () => {
    const zip = makeZip([{ name: 'mahalleh.shp', data: Buffer.from('/etc/passwd'), store: true, symlink: true }]);
    await expect(readUpload({ filename: 'link.zip', data: zip })).rejects.toBeInstanceOf(UnsafeArchiveError);
  });

  it('refuses an unknown format, listing the supported ones', async () => {
    const error = await readUpload({ filename: 'x.bin', data: randomBytes(4096) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect(error).toMatchObject({ statusCode: 415 });
    expect((error as Error).message).toContain('GeoPackage (.gpkg)');
    expect(SUPPORTED_FORMATS.length).toBeGreaterThan(5);
  });

  it('refuses random bytes under a known extension', async () => {
    await expect(readUpload({ filename: 'x.gpkg', data: randomBytes(4096) })).rejects.toBeInstanceOf(UnsupportedFormatError);
  });

  it('refuses a content that is not what its extension says (an OGR VRT named .geojson)', async () => {
    const vrt = '<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/usr/share/gdal/gdalvrt.xsd</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>';
    await expect(readUpload({ filename: 'x.geojson', data: Buffer.from(vrt) })).rejects.toBeInstanceOf(UnsupportedFormatError);
  });

  it('refuses a truncated GeoPackage', async () => {
    const gpkg = fixtures['mahalleh-3857.gpkg']!;
    const error = await readUpload({ filename: 'cut.gpkg', data: gpkg.subarray(0, gpkg.length / 2) }).catch((e: unknown) => e);
    expect([UnreadableFileError, UnsupportedFormatError].some((type) => error instanceof type), String(error)).toBe(true);
  });

  it('refuses a damaged zip', async () => {
    const zip = fixtures['mahalleh-utm40n-cp1256.zip']!;
    await expect(readUpload({ filename: 'cut.zip', data: zip.subarray(0, zip.length - 30) })).rejects.toBeInstanceOf(UnreadableFileError);
  });

  it('asks for a zip when given a bare .shp', async () => {
    await expect(readUpload({ filename: 'mahalleh.shp', data: Buffer.alloc(100) })).rejects.toThrow(/\.zip/);
  });

  it('refuses a zip holding two datasets', async () => {
    const zip = makeZip([
      { name: 'a.geojson', data: fixtures['mahalleh.geojson']! },
      { name: 'b.geojson', data: fixtures['mahalleh.geojson']! },
    ]);
    await expect(readUpload({ filename: 'two.zip', data: zip })).rejects.toThrow(/a\.geojson, b\.geojson/);
  });

  it('refuses a CSV without geometry columns', async () => {
    await expect(readUpload({ filename: 'p.csv', data: Buffer.from('code,name\n1,a\n') })).rejects.toThrow(/WKT/);
  });

  it('leaves nothing behind in GDAL\'s in-memory file system', async () => {
    await read('mahalleh-utm40n-cp1256.zip');
    await read('mahalleh-utm40n-noprj.zip').catch(() => undefined);
    await readUpload({ filename: 'x.gpkg', data: randomBytes(1000) }).catch(() => undefined);
    // initGdalJs hands back the runtime already started (it is a singleton).
    const gdal = await createRequire(import.meta.url)('gdal3.js/node.js')();
    const list = (dir: string) => gdal.Module.FS.readdir(dir).filter((n: string) => n !== '.' && n !== '..');
    expect(list('/mahallenama-sessions')).toEqual([]);
    expect(list('/output')).toEqual([]);
  });
});

describe('guessMapping', () => {
  it('maps the usual English and transliterated names', () => {
    expect(guessMapping(['FID', 'CODE', 'Name', 'Name_En', 'County', 'POP', 'HH', 'Depriv', 'Informal'])).toEqual({
      code: 'CODE', name_fa: 'Name', name_en: 'Name_En', county: 'County', population: 'POP',
      households: 'HH', deprivation: 'Depriv', informal: 'Informal',
    });
    expect(guessMapping(['mahalle_code', 'nam', 'english', 'shahrestan', 'jamiat', 'khanevar', 'gheyrrasmi'])).toEqual({
      code: 'mahalle_code', name_fa: 'nam', name_en: 'english', county: 'shahrestan', population: 'jamiat',
      households: 'khanevar', informal: 'gheyrrasmi',
    });
  });

  it('maps Persian names, whatever the keyboard (Arabic yeh and kaf, ZWNJ, spaces)', () => {
    expect(guessMapping(['کد', 'نام محله', 'شهرستان', 'جمعيت', 'خانوار', 'محرومیت', 'غیر\u200cرسمی'])).toEqual({
      code: 'کد', name_fa: 'نام محله', county: 'شهرستان', population: 'جمعيت', households: 'خانوار',
      deprivation: 'محرومیت', informal: 'غیر\u200cرسمی',
    });
  });

  it('prefers an exact name over one with a census year, and accepts the year when alone', () => {
    expect(guessMapping(['pop_1390', 'pop', 'hh95'])).toEqual({ population: 'pop', households: 'hh95' });
    expect(guessMapping(['جمعیت۱۳۹۵'])).toEqual({ population: 'جمعیت۱۳۹۵' });
  });

  it('gives a field to one target only and guesses nothing from unknown names', () => {
    expect(guessMapping(['name', 'name_fa'])).toEqual({ name_fa: 'name_fa' });
    expect(guessMapping(['OBJECTID', 'Shape_Leng', 'Shape_Area'])).toEqual({});
    expect(guessMapping([])).toEqual({});
  });
});

describe('readUpload with geometries as hex EWKB', () => {
  // The server's path (see ReadUploadOptions.geometryAs): the same features, in the same
  // order, with the same attributes, each geometry as the EWKB PostGIS reads directly.
  it.each(['mahalleh-utm40n-cp1256.zip', 'mahalleh-3857.gpkg', 'mahalleh.kml', 'mahalleh-wkt.csv', 'mahalleh-points.csv'])('%s', async (name) => {
    const asGeoJson = await read(name);
    const asEwkb = await readUpload({ filename: name, data: fixtures[name]! }, { geometryAs: 'hex-ewkb' });
    expect(asEwkb.features.map((f) => f.properties)).toEqual(asGeoJson.features.map((f) => f.properties));
    expect(asEwkb.crs).toBe(asGeoJson.crs);
    const TYPE_CODES: Record<string, number> = { Point: 1, Polygon: 3, MultiPolygon: 6 };
    asEwkb.features.forEach((feature, i) => {
      const bytes = Buffer.from(feature.geometry!, 'hex');
      expect(bytes[0]).toBe(1); // little-endian
      // EWKB puts flags (SRID, Z) in the high bits of the type.
      expect(bytes.readUInt32LE(1) & 0xff).toBe(TYPE_CODES[asGeoJson.features[i]!.geometry!.type]);
      const first = asGeoJson.features[i]!.geometry!;
      const hasSrid = (bytes.readUInt32LE(1) & 0x20000000) !== 0;
      const offset = 5 + (hasSrid ? 4 : 0) + (first.type === 'Point' ? 0 : first.type === 'Polygon' ? 8 : 17);
      const x = bytes.readDoubleLE(offset);
      const expected = first.type === 'Point' ? first.coordinates[0]! : positions(first)[0]![0]!;
      expect(Math.abs(x - expected)).toBeLessThan(TOLERANCE);
    });
  });
});

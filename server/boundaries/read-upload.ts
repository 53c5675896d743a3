import type { Geometry } from 'geojson';
import { DEFAULT_ZIP_LIMITS, inflateEntry, looksLikeZip, readZipDirectory, type ZipLimits } from './archive.js';
import {
  InvalidUploadOptionError, MissingCrsError, reason, UnreadableFileError, UnsupportedFormatError,
} from './errors.js';
import { GdalError, withGdal, type GdalSession, type LayerInfo, type CoordinateSystem } from './gdal.js';
import { decodeXml, readKmlPlacemarks } from './kml-extended-data.js';
import { readHexEwkb } from './hex-ewkb.js';
import {
  checkEncodingLabel, csvToUtf8, isWindows1256, persianLettersFrom1256, shapefileEncoding,
} from './text-encoding.js';

export * from './errors.js';
export { guessMapping, type MappingTarget } from './field-mapping.js';

/**
 * The reading half of a boundary upload: bytes in, features in EPSG:4326 out. No database
 * and no HTTP; GDAL (gdal3.js) does the reading and the reprojection. What comes out is the
 * geometry as the file holds it (any type, possibly invalid): making MultiPolygons and
 * repairing them is PostGIS's job in the next step.
 */

export type PropertyValue = string | number | boolean | null;

/** G is the geometry as GeoJSON, or as hex EWKB text (see ReadUploadOptions.geometryAs). */
export interface UploadedFeature<G = Geometry | null> {
  /** Position in the layer, from 0. */
  index: number;
  properties: Record<string, PropertyValue>;
  geometry: G;
}

export interface ReadResult<G = Geometry | null> {
  /** GDAL's driver: 'ESRI Shapefile', 'GPKG', 'KML', 'GeoJSON', 'FlatGeobuf', 'GML', 'CSV'. */
  format: string;
  /** The source CRS: 'EPSG:32640' when it has an identifier, else its WKT. */
  crs: string;
  fields: { name: string; type: string }[];
  features: UploadedFeature<G>[];
  layerName: string;
  /** Tables: the encoding a CSV was read in. */
  encoding?: string;
}

export interface ReadUploadOptions {
  /** The CRS to assume (EPSG:32640, a WKT, a PROJ string); wins over the file's own. */
  sourceSrs?: string;
  /** The attributes' text encoding (CP1256, UTF-8 …), for shapefiles and CSV that get it wrong. */
  encoding?: string;
  limits?: Partial<ZipLimits>;
  /**
   * 'geojson' (the default): GeoJSON geometry objects. 'hex-ewkb': each geometry as the hex
   * EWKB text PostGIS reads directly (`$1::geometry`), null when the feature has none.
   * GDAL-in-WebAssembly spends most of a read printing coordinates as decimal text; its
   * PGDump writer prints the binary form instead, which for the 478 counties of Iran in UTM
   * takes about a quarter of the time, keeps every bit of each coordinate, and spares both
   * JSON.parse here and ST_GeomFromGeoJSON in the database. The attributes still come as
   * GeoJSON (without geometry, so that part is quick).
   */
  geometryAs?: 'geojson' | 'hex-ewkb';
  /**
   * Read a table without geometry (indicator tables, server/indicators/): CSV or XLSX, every
   * cell as text, no CRS or geometry checks. Boundary and layer uploads never set it, so
   * they still refuse spreadsheets.
   */
  table?: boolean;
}

export const SUPPORTED_FORMATS: string[] = [
  'Shapefile as a .zip (.shp, .shx, .dbf, with .prj and .cpg)',
  'GeoPackage (.gpkg)',
  'KML (.kml) and KMZ (.kmz)',
  'GeoJSON (.geojson, .json)',
  'FlatGeobuf (.fgb)',
  'GML (.gml)',
  'CSV with a WKT column (WKT, geometry, geom) or longitude/latitude columns (lon, lng, longitude, x / lat, latitude, y) (.csv)',
  'a .zip holding one of these',
];

/** What GDAL may open a file as, by extension. Other drivers are refused (see gdal.ts). */
const DRIVERS: Record<string, string[]> = {
  shp: ['ESRI Shapefile'],
  gpkg: ['GPKG'],
  kml: ['KML'],
  geojson: ['GeoJSON'],
  json: ['GeoJSON', 'ESRIJSON', 'TopoJSON'],
  fgb: ['FlatGeobuf'],
  gml: ['GML'],
  csv: ['CSV'],
};

/** Tables (ReadUploadOptions.table): text cells as GDAL reads them, headers on the first row. */
const TABLE_DRIVERS: Record<string, string[]> = { csv: ['CSV'], xlsx: ['XLSX'] };
const TABLE_OPEN_OPTIONS: Record<string, string[]> = {
  csv: ['AUTODETECT_TYPE=NO', 'HEADERS=YES'],
  xlsx: ['HEADERS=FORCE', 'FIELD_TYPES=STRING'],
};

/** Which file in a zip is the dataset, in order of preference. */
const MAIN_FILE_PREFERENCE = ['shp', 'gpkg', 'geojson', 'json', 'fgb', 'kml', 'gml', 'csv'];

const CSV_OPEN_OPTIONS = [
  'GEOM_POSSIBLE_NAMES=WKT,geometry,geom,the_geom,wkt_geom',
  'X_POSSIBLE_NAMES=lon,lng,long,longitude,x',
  'Y_POSSIBLE_NAMES=lat,latitude,y',
  'KEEP_GEOM_COLUMNS=NO',
];

export function readUpload(
  file: { filename: string; data: Buffer | Uint8Array },
  options: ReadUploadOptions & { geometryAs: 'hex-ewkb' },
): Promise<ReadResult<string | null>>;
export function readUpload(
  file: { filename: string; data: Buffer | Uint8Array },
  options?: ReadUploadOptions & { geometryAs?: 'geojson' },
): Promise<ReadResult<Geometry | null>>;
export async function readUpload(
  file: { filename: string; data: Buffer | Uint8Array },
  options: ReadUploadOptions = {},
): Promise<ReadResult<Geometry | null> | ReadResult<string | null>> {
  const data = Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
  const filename = baseName(file.filename);
  const extension = extensionOf(filename);
  const encoding = options.encoding === undefined ? undefined : checkEncodingLabel(options.encoding);
  const sourceSrs = options.sourceSrs === undefined ? undefined : checkSrsText(options.sourceSrs);
  const limits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };

  if (['shp', 'shx', 'dbf', 'prj', 'cpg'].includes(extension)) {
    throw new UnsupportedFormatError(
      'A shapefile is several files: put the .shp, .shx, .dbf, .prj and .cpg in one .zip and upload that.',
      reason('shapefile_parts', { file: filename }, { supported: SUPPORTED_FORMATS }),
    );
  }
  if (options.table) return readTable(data, filename, extension, encoding);
  const isArchive = extension === 'zip' || extension === 'kmz';
  if (!isArchive && !DRIVERS[extension]) {
    throw new UnsupportedFormatError(
      `"${filename}" is not a format this map reads. Upload one of: ${SUPPORTED_FORMATS.join('; ')}.`,
      reason('unsupported_format', { file: filename }, { supported: SUPPORTED_FORMATS }),
    );
  }
  if (isArchive && !looksLikeZip(data)) {
    throw new UnreadableFileError(`"${filename}" is not a zip archive, or it is damaged.`, reason('not_zip', { file: filename }));
  }

  return withGdal(async (session) => {
    const { mainFile, csvEncoding } = placeFiles(session, { data, filename, isArchive, isKmz: extension === 'kmz', limits, encoding });
    const { info, layer, dataset } = await openMainFile(session, mainFile, encoding);
    const geometryField = layer.geometryFields[0];
    const fileCrs = geometryField?.coordinateSystem ?? undefined;

    // Reprojection: the caller's CRS first, then the file's; without either, coordinates
    // stay as they are and must turn out to be longitude/latitude.
    const reprojection: string[] = [];
    let crs = 'EPSG:4326';
    if (sourceSrs) {
      if (!session.isValidSrs(sourceSrs)) {
        throw new InvalidUploadOptionError(`source_srs "${sourceSrs}" is not a CRS GDAL knows; give one such as EPSG:32640.`, reason('unknown_crs', { value: sourceSrs }, { field: 'source_srs' }));
      }
      reprojection.push('-s_srs', sourceSrs, '-t_srs', 'EPSG:4326');
      crs = sourceSrs;
    } else if (fileCrs) {
      reprojection.push('-t_srs', 'EPSG:4326');
      crs = describeCrs(fileCrs);
    }
    const layerArgs = layerArgument(layer, info.layers.length);
    const asEwkb = options.geometryAs === 'hex-ewkb';

    const text = await dataset
      .toGeoJson(asEwkb ? ['-nlt', 'NONE', ...layerArgs] : [...reprojection, ...layerArgs])
      .catch((error: unknown) => { throw readError(error, mainFile); });
    const collection = JSON.parse(text) as { features: { properties: Record<string, unknown> | null; geometry: Geometry | null }[] };
    let ewkb: (string | null)[] | undefined;
    if (asEwkb) {
      ewkb = await readHexEwkb(dataset, [...reprojection, ...layerArgs]).catch((error: unknown) => { throw readError(error, mainFile); });
      if (ewkb.length !== collection.features.length) {
        throw new UnreadableFileError(`"${mainFile}" gave ${ewkb.length} geometries for ${collection.features.length} features; the file is damaged.`, reason('damaged', { file: mainFile }));
      }
    }

    if (!sourceSrs && !fileCrs) {
      // The layer's extent is in the file's own coordinates; without one, look at every vertex.
      const extent = geometryField?.extent;
      const lonLat = extent
        ? Math.abs(extent[0]!) <= 180 && Math.abs(extent[2]!) <= 180 && Math.abs(extent[1]!) <= 90 && Math.abs(extent[3]!) <= 90
        : allLonLat(asEwkb
          ? JSON.parse(await dataset.toGeoJson(layerArgs)).features.map((f: { geometry: Geometry | null }) => f.geometry)
          : collection.features.map((f) => f.geometry));
      if (!lonLat) {
        throw new MissingCrsError(
          `"${mainFile}" does not say which coordinate system it uses, and its coordinates are not longitude/latitude. ` +
            'Upload it with its .prj file, or give source_srs (for example EPSG:32640 for UTM zone 40N).',
          reason('missing_crs', { file: mainFile }, { field: 'source_srs' }),
        );
      }
    }
    if (layer.featureCount >= 0 && collection.features.length < layer.featureCount) {
      throw new UnreadableFileError(
        `Only ${collection.features.length} of the ${layer.featureCount} features of "${mainFile}" could be read; the file is damaged.`,
        reason('damaged', { file: mainFile, read: collection.features.length, features: layer.featureCount }),
      );
    }

    const sourceEncoding = extensionOf(mainFile) === 'csv' ? csvEncoding : layer.metadata?.SHAPEFILE?.SOURCE_ENCODING;
    const fix = isWindows1256(sourceEncoding) ? persianLettersFrom1256 : (text: string) => text;
    const fields = layer.fields.map((field) => ({ name: fix(field.name), type: fieldType(field) }));
    const features: UploadedFeature<Geometry | string | null>[] = collection.features.map((feature, index) => ({
      index,
      properties: cleanProperties(feature.properties ?? {}, fix),
      geometry: ewkb ? ewkb[index]! : feature.geometry ?? null,
    }));
    if (info.driverShortName === 'KML') {
      const kml = session.readFile(mainFile);
      if (kml) addKmlExtendedData(decodeXml(kml), layer.name, fields, features);
    }
    return { format: info.driverShortName, crs, fields, features, layerName: fix(layer.name) } as
      ReadResult<Geometry | null> | ReadResult<string | null>;
  });
}

/**
 * A CSV or XLSX table: its columns and rows, every cell as text (null when empty). CSV is
 * decoded as placeFiles does (UTF-8, else Windows-1256, unless the caller names one), and
 * text that came through Windows-1256 gets its Persian letters back.
 */
function readTable(data: Buffer, filename: string, extension: string, encoding: string | undefined): Promise<ReadResult<null>> {
  const drivers = TABLE_DRIVERS[extension];
  if (!drivers) {
    throw new UnsupportedFormatError(`"${filename}" is not a table this map reads: upload a .csv or .xlsx file.`,
      reason('unsupported_format', { file: filename }, { supported: ['CSV (.csv)', 'Excel workbook (.xlsx)'] }));
  }
  return withGdal(async (session) => {
    let sourceEncoding: string | undefined;
    if (extension === 'csv') {
      const utf8 = csvToUtf8(data, encoding);
      sourceEncoding = utf8.encoding;
      session.writeFile(filename, utf8.bytes);
    } else {
      if (!looksLikeZip(data)) throw new UnreadableFileError(`"${filename}" is not an Excel workbook (.xlsx), or it is damaged.`, reason('not_zip', { file: filename }));
      session.writeFile(filename, data);
    }
    const dataset = await session
      .open(`${session.dir}/${filename}`, { drivers, openOptions: TABLE_OPEN_OPTIONS[extension]! })
      .catch((error: unknown) => { throw openError(error, filename); });
    // A workbook's first sheet with rows is the table.
    const layer = dataset.info.layers.find((l) => l.featureCount !== 0) ?? dataset.info.layers[0];
    if (!layer) throw new UnreadableFileError(`"${filename}" holds no table.`, reason('no_features', { file: filename }));
    const text = await dataset.toGeoJson(layerArgument(layer, dataset.info.layers.length))
      .catch((error: unknown) => { throw readError(error, filename); });
    const collection = JSON.parse(text) as { features: { properties: Record<string, unknown> | null }[] };
    const fix = isWindows1256(sourceEncoding) ? persianLettersFrom1256 : (t: string) => t;
    return {
      format: dataset.info.driverShortName,
      crs: 'none',
      fields: layer.fields.map((field) => ({ name: fix(field.name), type: fieldType(field) })),
      features: collection.features.map((feature, index) => ({ index, properties: cleanProperties(feature.properties ?? {}, fix), geometry: null })),
      layerName: fix(layer.name),
      ...(sourceEncoding ? { encoding: sourceEncoding } : {}),
    };
  });
}

/**
 * Writes the upload (or what its zip holds) into the session's folder and says which file
 * is the dataset. CSV is stored as UTF-8, because GDAL's CSV driver does not recode.
 */
function placeFiles(
  session: GdalSession,
  upload: { data: Buffer; filename: string; isArchive: boolean; isKmz: boolean; limits: ZipLimits; encoding?: string },
): { mainFile: string; csvEncoding?: string } {
  let csvEncoding: string | undefined;
  const asStored = (path: string, bytes: Uint8Array): Uint8Array => {
    if (extensionOf(path) !== 'csv') return bytes;
    const utf8 = csvToUtf8(bytes, upload.encoding);
    csvEncoding = utf8.encoding;
    return utf8.bytes;
  };

  if (!upload.isArchive) {
    session.writeFile(upload.filename, asStored(upload.filename, upload.data));
    return { mainFile: upload.filename, csvEncoding };
  }
  const entries = readZipDirectory(upload.data, upload.limits);
  for (const entry of entries) {
    const bytes = asStored(entry.path, inflateEntry(upload.data, entry));
    try {
      session.writeFile(entry.path, bytes);
    } catch {
      // The in-memory file system refuses, say, a file "a" beside a folder "a/".
      throw new UnreadableFileError(`The zip entry "${entry.path}" clashes with another entry.`, reason('zip_entry_twice', { entry: entry.path }));
    }
  }
  return { mainFile: pickMainFile(entries.map((e) => e.path), upload.isKmz), csvEncoding };
}

/** Opens the dataset with the driver its extension names and picks the layer to read. */
async function openMainFile(session: GdalSession, mainFile: string, encoding: string | undefined) {
  const extension = extensionOf(mainFile);
  const openOptions: string[] = [];
  if (extension === 'csv') openOptions.push(...CSV_OPEN_OPTIONS);
  if (extension === 'shp') {
    const dbf = siblingBytes(session, mainFile, 'dbf');
    const cpg = siblingBytes(session, mainFile, 'cpg');
    const chosen = encoding ?? (dbf && shapefileEncoding(cpg && new TextDecoder().decode(cpg), dbf));
    if (chosen) openOptions.push(`ENCODING=${chosen}`);
  }

  const dataset = await session
    .open(`${session.dir}/${mainFile}`, { drivers: DRIVERS[extension]!, openOptions })
    .catch((error: unknown) => { throw openError(error, mainFile); });
  const layer = chooseLayer(dataset.info.layers);
  if (!layer) throw new UnreadableFileError(`"${mainFile}" holds no layers with features.`, reason('no_features', { file: mainFile }));
  // GDAL quietly reads raw bytes when its iconv lacks the encoding; SOURCE_ENCODING says so.
  if (extension === 'shp' && encoding && !layer.metadata?.SHAPEFILE?.SOURCE_ENCODING) {
    throw new InvalidUploadOptionError(`This server cannot read text in "${encoding}"; use one such as CP1256, UTF-8 or ISO-8859-6.`, reason('unknown_encoding', { value: encoding }, { field: 'encoding' }));
  }
  if (extension === 'csv' && layer.geometryFields.length === 0) {
    throw new UnreadableFileError(
      'The CSV has no geometry: name a column WKT, geometry or geom (holding WKT), or give longitude and latitude columns (lon/lng/longitude/x and lat/latitude/y).',
      reason('csv_no_geometry', { file: mainFile }),
    );
  }
  return { info: dataset.info, layer, dataset };
}


/** The dataset in an extracted zip: the one file of the most preferred kind. */
function pickMainFile(paths: string[], isKmz: boolean): string {
  for (const extension of MAIN_FILE_PREFERENCE) {
    const candidates = paths.filter((p) => extensionOf(p) === extension);
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1) {
      // A KMZ's main document is doc.kml by convention; other KML files are its resources.
      const doc = isKmz && candidates.find((p) => p.toLowerCase() === 'doc.kml');
      if (doc) return doc;
      throw new UnreadableFileError(
        `The zip holds several datasets (${candidates.join(', ')}); upload a zip with one of them.`,
        reason('zip_several_datasets', { files: candidates.join(', ') }),
      );
    }
  }
  throw new UnsupportedFormatError(
    `The zip holds no file this map reads. Upload one of: ${SUPPORTED_FORMATS.join('; ')}.`,
    reason('zip_no_dataset', {}, { supported: SUPPORTED_FORMATS }),
  );
}

/** A .dbf or .cpg beside a .shp, whatever the case of its extension (X.SHP, X.DBF …). */
function siblingBytes(session: GdalSession, shp: string, extension: string): Uint8Array | undefined {
  const stem = shp.slice(0, -'.shp'.length);
  return session.readFile(`${stem}.${extension}`) ?? session.readFile(`${stem}.${extension.toUpperCase()}`);
}

/** A polygon layer with features if there is one, else any layer with features. */
function chooseLayer(layers: LayerInfo[]): LayerInfo | undefined {
  const withFeatures = layers.filter((l) => l.featureCount !== 0);
  return (
    withFeatures.find((l) => l.geometryFields.some((g) => /polygon/i.test(g.type))) ??
    withFeatures.find((l) => l.geometryFields.length > 0) ??
    withFeatures[0]
  );
}

/** ogr2ogr takes layer names as bare arguments, so a name that starts with '-' reads as an option. */
function layerArgument(layer: LayerInfo, layerCount: number): string[] {
  if (!layer.name.startsWith('-')) return [layer.name];
  if (layerCount === 1) return [];
  throw new UnreadableFileError(`The layer "${layer.name}" cannot be read by name; rename it so it does not start with "-".`, reason('layer_name', { value: layer.name }));
}

function describeCrs(crs: CoordinateSystem): string {
  const id = crs.projjson?.id;
  if (id) return `${id.authority}:${id.code}`;
  return crs.wkt ?? crs.projjson?.name ?? 'unknown';
}

/**
 * `source_srs` goes to GDAL, which also accepts file names as CRS definitions; only
 * AUTHORITY:CODE, WKT and PROJ strings are let through.
 */
function checkSrsText(text: string): string {
  const trimmed = text.trim();
  const ok =
    /^[A-Za-z]+:\d+$/.test(trimmed) || // EPSG:32640, ESRI:102025
    /^[A-Z_0-9]+\[/.test(trimmed) || // WKT1 and WKT2
    /^\+proj=[^@<>|;]*$/.test(trimmed); // PROJ string
  if (!ok) {
    throw new InvalidUploadOptionError(
      `source_srs "${text}" is not a CRS; give one such as EPSG:32640, or a WKT or PROJ definition.`,
      reason('unknown_crs', { value: text }, { field: 'source_srs' }),
    );
  }
  return trimmed;
}

function allLonLat(geometries: (Geometry | null)[]): boolean {
  const inRange = (value: unknown): boolean => {
    if (!Array.isArray(value)) return true;
    if (typeof value[0] === 'number') {
      return Math.abs(value[0]) <= 180 && Math.abs(value[1] as number) <= 90;
    }
    return value.every(inRange);
  };
  const check = (geometry: Geometry | null): boolean => {
    if (!geometry) return true;
    if (geometry.type === 'GeometryCollection') return geometry.geometries.every(check);
    return inRange(geometry.coordinates);
  };
  return geometries.every(check);
}

function fieldType(field: LayerInfo['fields'][number]): string {
  return field.subType === 'Boolean' ? 'Boolean' : field.type;
}

/** Property values as the API promises them: lists and JSON objects become JSON text. */
function cleanProperties(properties: Record<string, unknown>, fix: (s: string) => string): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  for (const [name, value] of Object.entries(properties)) {
    let clean: PropertyValue;
    if (value === null || value === undefined) clean = null;
    else if (typeof value === 'string') clean = fix(value);
    else if (typeof value === 'number' || typeof value === 'boolean') clean = value;
    else clean = fix(JSON.stringify(value));
    out[fix(name)] = clean;
  }
  return out;
}

/**
 * Adds the placemarks' ExtendedData to the features GDAL read (see kml-extended-data.ts).
 * The group of placemarks must match the layer feature for feature by name; when that is
 * not certain, nothing is added rather than the wrong attributes to the wrong features.
 */
function addKmlExtendedData(
  xml: string,
  layerName: string,
  fields: ReadResult['fields'],
  features: UploadedFeature<unknown>[],
): void {
  const names = features.map((f) => String(f.properties.Name ?? '').trim());
  const matching = readKmlPlacemarks(xml).filter(
    (group) => group.placemarks.length === features.length && group.placemarks.every((p, i) => p.name === names[i]),
  );
  const group = matching.length === 1 ? matching[0] : matching.find((g) => g.container === layerName);
  if (!group) return;

  const known = new Set(fields.map((f) => f.name));
  group.placemarks.forEach((placemark, i) => {
    const properties = features[i]!.properties;
    for (const [name, value] of Object.entries(placemark.data)) {
      if (!known.has(name)) {
        known.add(name);
        fields.push({ name, type: 'String' });
      }
      properties[name] ??= value;
    }
  });
  // Every feature gets every field, as with the other formats.
  for (const feature of features) {
    for (const { name } of fields) feature.properties[name] ??= null;
  }
}

/** GDAL's failures reworded for the uploader; anything else (a bug, our own errors) as it is. */
function openError(error: unknown, file: string): unknown {
  if (!(error instanceof GdalError)) return error;
  if (/not recognized as a supported file format/i.test(error.message)) {
    return new UnsupportedFormatError(
      `"${file}" is not in the format its name says, or not one this map reads. Upload one of: ${SUPPORTED_FORMATS.join('; ')}.`,
      reason('wrong_format', { file }, { supported: SUPPORTED_FORMATS }),
    );
  }
  return new UnreadableFileError(`GDAL could not open "${file}": ${error.message}`, reason('gdal_open', { file, detail: error.message }));
}

function readError(error: unknown, file: string): unknown {
  if (!(error instanceof GdalError)) return error;
  return new UnreadableFileError(`GDAL could not read the features of "${file}": ${error.message}`, reason('gdal_read', { file, detail: error.message }));
}

function baseName(filename: string): string {
  // Browsers send a bare name, but some clients send a path (either separator).
  // eslint-disable-next-line no-control-regex
  const base = filename.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f]/g, '').trim();
  return base.slice(-120) || 'upload';
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
}

import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/**
 * gdal3.js (GDAL 3.8 compiled to WebAssembly) behind a small session API.
 *
 * - One runtime per process, started on first use (about 0.5 s) and kept. `initGdalJs` is a
 *   singleton inside gdal3.js too: whoever calls it first decides its configuration, so other
 *   code in this server that needs GDAL should come through `withGdal` as well.
 * - The runtime is single-threaded and keeps global state (the last error, config options,
 *   the in-memory file system), so sessions run one at a time. It runs on the calling
 *   thread (gdal3.js has no worker mode in Node): a big upload holds the event loop while
 *   GDAL works.
 * - Each session gets its own folders in the runtime's in-memory file system and leaves
 *   nothing behind: its datasets are closed and its folders removed, even when it fails.
 * - Datasets are opened with GDALOpenEx directly rather than with gdal3.js's `open`, because
 *   `open` can only see /input and /output (which it may mount over the host disk) and cannot
 *   limit the drivers: a file named .geojson that holds an OGR VRT must not be opened as one.
 */

/** The part of Emscripten's FS that the sessions use. */
interface EmscriptenFs {
  mkdir(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  readdir(path: string): string[];
  stat(path: string): { mode: number };
  isDir(mode: number): boolean;
  unlink(path: string): void;
  rmdir(path: string): void;
}

interface EmscriptenModule {
  FS: EmscriptenFs;
  cwrap<F extends (...args: never[]) => unknown>(name: string, returns: 'number' | 'string' | null, args: string[]): F;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  lengthBytesUTF8(text: string): number;
  stringToUTF8(text: string, pointer: number, maxBytes: number): void;
  setValue(pointer: number, value: number, type: 'i32'): void;
}

interface GdalDataset { pointer: number; path: string }

interface GdalJs {
  Module: EmscriptenModule;
  ogrinfo(dataset: GdalDataset, options?: string[]): Promise<VectorInfo>;
  ogr2ogr(dataset: GdalDataset, options: string[], outputName?: string): Promise<{ local: string }>;
  close(dataset: GdalDataset): Promise<void>;
}

/** The parts of `ogrinfo -json` that the reader uses. */
export interface VectorInfo {
  driverShortName: string;
  layers: LayerInfo[];
}

export interface LayerInfo {
  name: string;
  featureCount: number;
  fields: { name: string; type: string; subType?: string }[];
  /** extent: [minX, minY, maxX, maxY] in the field's own coordinates, when GDAL knows it. */
  geometryFields: { name: string; type: string; coordinateSystem?: CoordinateSystem | null; extent?: number[] }[];
  metadata?: Record<string, Record<string, string>>;
}

export interface CoordinateSystem {
  wkt?: string;
  projjson?: { name?: string; id?: { authority: string; code: number | string } };
}

/** A failure reported by GDAL, with what it printed on the way. */
export class GdalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GdalError';
  }
}

export interface OpenedDataset {
  info: VectorInfo;
  /**
   * Runs ogr2ogr with `args` (which name the driver with -f) and returns the files it wrote,
   * by file name: `outputName`.shp, .dbf … for a shapefile.
   */
  translate(args: string[], outputName?: string): Promise<Map<string, Uint8Array>>;
  /** ogr2ogr to GeoJSON with `args` (options, then layer names); returns the GeoJSON text. */
  toGeoJson(args: string[]): Promise<string>;
}

export interface GdalSession {
  /** An empty folder of the in-memory file system, for the input files. */
  dir: string;
  writeFile(relativePath: string, data: Uint8Array): string;
  readFile(relativePath: string): Uint8Array | undefined;
  open(file: string, options: { drivers: string[]; openOptions?: string[] }): Promise<OpenedDataset>;
  /** Whether GDAL understands `definition` as a CRS. */
  isValidSrs(definition: string): boolean;
}

const GDAL_OF_VECTOR = 0x04;
const GDAL_OF_VERBOSE_ERROR = 0x40;
const SESSIONS_ROOT = '/mahallenama-sessions';
// gdal3.js writes ogr2ogr output under /output/<outputName>.<extension>, always.
const OUTPUT_ROOT = '/output';

let runtime: Promise<Runtime> | undefined;
let queue: Promise<unknown> = Promise.resolve();

interface Runtime {
  gdal: GdalJs;
  openEx: (file: string, flags: number, drivers: number, openOptions: number, siblings: number) => number;
  errorReset: () => void;
  lastErrorMessage: () => string;
  newSrs: (definition: number) => number;
  setSrsFromUserInput: (srs: number, definition: string) => number;
  destroySrs: (srs: number) => void;
  /** GDAL's stderr since the current session began: warnings and the full text of errors. */
  messages: string[];
}

/**
 * Bytes of the runtime's WebAssembly memory, 0 before it starts. WebAssembly memory only
 * grows: after a huge file it stays at its peak for as long as the runtime lives, which is
 * why the upload reader ends its worker when this passes a limit (upload-reader.ts).
 */
export async function gdalHeapBytes(): Promise<number> {
  if (!runtime) return 0;
  const rt = await runtime;
  return (rt.gdal.Module as unknown as { HEAP8: Int8Array }).HEAP8.length;
}

/** Runs `work` with exclusive use of the GDAL runtime and a clean folder of its own. */
export function withGdal<T>(work: (session: GdalSession) => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    const rt = await startRuntime();
    return runSession(rt, work);
  });
  queue = run.catch(() => undefined);
  return run;
}

async function runSession<T>(rt: Runtime, work: (session: GdalSession) => Promise<T>): Promise<T> {
  const { FS } = rt.gdal.Module;
  const id = randomUUID();
  const dir = `${SESSIONS_ROOT}/${id}`;
  const outDir = `${OUTPUT_ROOT}/${id}`;
  FS.mkdir(dir);
  FS.mkdir(outDir);
  const opened: GdalDataset[] = [];
  let translations = 0;
  rt.messages.length = 0;

  const session: GdalSession = {
    dir,
    writeFile(relativePath, data) {
      const full = `${dir}/${relativePath}`;
      const parts = relativePath.split('/');
      for (let i = 1; i < parts.length; i++) mkdirIfMissing(FS, `${dir}/${parts.slice(0, i).join('/')}`);
      FS.writeFile(full, data);
      return full;
    },
    readFile(relativePath) {
      try {
        return FS.readFile(`${dir}/${relativePath}`);
      } catch {
        return undefined; // absent: the callers ask about optional sidecar files
      }
    },
    async open(file, options) {
      rt.errorReset();
      const pointer = withStringLists(rt.gdal.Module, [options.drivers, options.openOptions ?? []], (drivers, oo) =>
        rt.openEx(file, GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR, drivers, oo, 0),
      );
      if (!pointer) throw new GdalError(rt.lastErrorMessage() || gdalMessages(rt) || 'GDAL could not open the file');
      const dataset: GdalDataset = { pointer, path: file };
      opened.push(dataset);
      rt.errorReset(); // gdal3.js's ogrinfo fails on any error left over from probing sidecars
      // ogrinfo prints an infinite coordinate's extent as Infinity, which is not JSON; without
      // the extent the layer still opens, and the reader rejects that feature by itself.
      const info = await rt.gdal.ogrinfo(dataset).catch(async (error: unknown) => {
        if (error instanceof SyntaxError) {
          rt.errorReset();
          return rt.gdal.ogrinfo(dataset, ['-noextent']);
        }
        throw error;
      }).catch((error: unknown) => {
        throw new GdalError(gdalMessages(rt) || errorText(error));
      });
      const result: OpenedDataset = {
        info,
        async translate(args, outputName = 'out') {
          rt.errorReset();
          rt.messages.length = 0;
          // Each translation gets a folder of its own, so its files are exactly what is in it.
          const folder = `${id}/${translations++}`;
          FS.mkdir(`${OUTPUT_ROOT}/${folder}`);
          // gdal3.js reports only GDAL's last error, which after a failed translation is a
          // useless "Pointer 'hDS' is NULL"; stderr holds the real reason.
          await rt.gdal.ogr2ogr(dataset, args, `${folder}/${outputName}`).catch(() => {
            throw new GdalError(gdalMessages(rt) || 'ogr2ogr failed');
          });
          const files = new Map<string, Uint8Array>();
          for (const name of FS.readdir(`${OUTPUT_ROOT}/${folder}`)) {
            if (name !== '.' && name !== '..') files.set(name, FS.readFile(`${OUTPUT_ROOT}/${folder}/${name}`));
          }
          return files;
        },
        async toGeoJson(args) {
          const geojson = (await result.translate(['-f', 'GeoJSON', ...args])).get('out.geojson');
          if (!geojson) throw new GdalError(gdalMessages(rt) || 'ogr2ogr wrote no GeoJSON');
          return new TextDecoder().decode(geojson);
        },
      };
      return result;
    },
    isValidSrs(definition) {
      const srs = rt.newSrs(0);
      try {
        return rt.setSrsFromUserInput(srs, definition) === 0;
      } finally {
        rt.destroySrs(srs);
        rt.errorReset();
      }
    },
  };

  try {
    return await work(session);
  } finally {
    for (const dataset of opened.reverse()) await rt.gdal.close(dataset);
    removeTree(FS, dir);
    removeTree(FS, outDir);
    rt.messages.length = 0;
  }
}

function startRuntime(): Promise<Runtime> {
  runtime ??= (async () => {
    const require = createRequire(import.meta.url);
    const initGdalJs = require('gdal3.js/node.js') as (config: object) => Promise<GdalJs>;
    // In Node, gdal3.js reads its .wasm and .data files relative to the working directory.
    const packageDir = path.join(path.dirname(require.resolve('gdal3.js/package.json')), 'dist/package');
    const messages: string[] = [];
    const gdal = await initGdalJs({
      path: path.relative(process.cwd(), packageDir) || '.',
      logHandler: () => {}, // stdout carries nothing the reader needs
      errorHandler: (message: string) => {
        if (messages.length < 200) messages.push(message);
      },
    });
    const M = gdal.Module;
    M.FS.mkdir(SESSIONS_ROOT);
    return {
      gdal,
      messages,
      openEx: M.cwrap<Runtime['openEx']>('GDALOpenEx', 'number', ['string', 'number', 'number', 'number', 'number']),
      errorReset: M.cwrap<Runtime['errorReset']>('CPLErrorReset', null, []),
      lastErrorMessage: M.cwrap<Runtime['lastErrorMessage']>('CPLGetLastErrorMsg', 'string', []),
      newSrs: M.cwrap<Runtime['newSrs']>('OSRNewSpatialReference', 'number', ['number']),
      setSrsFromUserInput: M.cwrap<Runtime['setSrsFromUserInput']>('OSRSetFromUserInput', 'number', ['number', 'string']),
      destroySrs: M.cwrap<Runtime['destroySrs']>('OSRDestroySpatialReference', null, ['number']),
    };
  })();
  return runtime;
}

/** GDAL wraps long messages over several stderr lines; joined they read as sentences. */
function gdalMessages(rt: Runtime): string {
  return rt.messages.join(' ').replace(/\s+/g, ' ').trim();
}

/** Passes NULL-terminated C string arrays (char **) to `use`, and frees them afterwards. */
function withStringLists<T>(M: EmscriptenModule, lists: string[][], use: (...pointers: number[]) => T): T {
  const allocated: number[] = [];
  const arrays = lists.map((list) => {
    if (list.length === 0) return 0;
    const array = M._malloc(4 * (list.length + 1));
    allocated.push(array);
    list.forEach((text, i) => {
      const bytes = M.lengthBytesUTF8(text) + 1;
      const pointer = M._malloc(bytes);
      allocated.push(pointer);
      M.stringToUTF8(text, pointer, bytes);
      M.setValue(array + 4 * i, pointer, 'i32');
    });
    M.setValue(array + 4 * list.length, 0, 'i32');
    return array;
  });
  try {
    return use(...arrays);
  } finally {
    for (const pointer of allocated) M._free(pointer);
  }
}

function mkdirIfMissing(FS: EmscriptenFs, dir: string): void {
  try {
    FS.mkdir(dir);
  } catch (error) {
    if (!FS.isDir(FS.stat(dir).mode)) throw error;
  }
}

function removeTree(FS: EmscriptenFs, dir: string): void {
  for (const name of FS.readdir(dir)) {
    if (name === '.' || name === '..') continue;
    const full = `${dir}/${name}`;
    if (FS.isDir(FS.stat(full).mode)) removeTree(FS, full);
    else FS.unlink(full);
  }
  FS.rmdir(dir);
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return String(error);
}

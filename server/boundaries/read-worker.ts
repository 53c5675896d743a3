import { parentPort } from 'node:worker_threads';
import { readUpload, type ReadResult, type ReadUploadOptions } from './read-upload.js';
import { gdalHeapBytes } from './gdal.js';
import { AppError } from '../errors.js';

/**
 * The worker side of upload-reader.ts: reads one upload at a time with GDAL (whose runtime
 * lives in this thread) and answers with the features, geometries as hex EWKB, or with the
 * error — typed upload errors travel as their class name, message and details.
 */

export interface ReadRequest {
  id: number;
  filename: string;
  data: Uint8Array;
  options: Omit<ReadUploadOptions, 'geometryAs'>;
}

/** heapBytes: GDAL's WebAssembly memory after the read (see gdalHeapBytes). */
export type ReadResponse =
  | { id: number; ok: true; result: ReadResult<string | null>; heapBytes: number }
  | { id: number; ok: false; error: { name: string; message: string; details?: Record<string, unknown>; stack?: string }; heapBytes: number };

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread');

port.on('message', (request: ReadRequest) => {
  readUpload({ filename: request.filename, data: request.data }, { ...request.options, geometryAs: 'hex-ewkb' }).then(
    async (result) => port.postMessage({ id: request.id, ok: true, result, heapBytes: await gdalHeapBytes() } satisfies ReadResponse),
    async (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({
        id: request.id,
        ok: false,
        error: { name: e.name, message: e.message, details: e instanceof AppError ? e.details : undefined, stack: e.stack },
        heapBytes: await gdalHeapBytes(),
      } satisfies ReadResponse);
    },
  );
});

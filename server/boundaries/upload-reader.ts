import { Worker } from 'node:worker_threads';
import type { ReadResult, ReadUploadOptions } from './read-upload.js';
import type { ReadRequest, ReadResponse } from './read-worker.js';
import {
  ArchiveTooLargeError, InvalidUploadOptionError, MissingCrsError, UnreadableFileError, UnsafeArchiveError,
  UnsupportedFormatError,
} from './errors.js';

/**
 * Reads uploads on a worker thread. GDAL (WebAssembly) works synchronously: on the main
 * thread a 200 MB shapefile would hold every other request for seconds. The worker starts
 * on the first upload (GDAL takes about half a second to start) and stays for the next;
 * uploads are read one at a time, as GDAL's runtime allows. A worker that dies (an abort
 * inside GDAL, memory) fails the reads in flight and is replaced on the next upload.
 */
export interface UploadReader {
  /** A file of LARGE_FILE_BYTES or more that owns its buffer is handed over to the worker: its bytes are gone here afterwards. */
  read(file: { filename: string; data: Uint8Array }, options: Omit<ReadUploadOptions, 'geometryAs'>): Promise<ReadResult<string | null>>;
  close(): Promise<void>;
}

/**
 * GDAL's WebAssembly memory never shrinks, and what a read has touched stays resident: after a
 * huge file (a 41 MB polygon of 10^6 vertices) the worker would keep hundreds of MB for the
 * life of the server. After a file this large, or a read that grew the memory past its
 * initial 512 MB, the worker is ended once it has answered, which hands the memory back to
 * the system; the next upload starts a fresh one (about half a second).
 */
export const LARGE_FILE_BYTES = 8 * 1024 * 1024;
const INITIAL_HEAP_BYTES = 512 * 1024 * 1024;

const UPLOAD_ERRORS: Record<string, new (message: string, details?: Record<string, unknown>) => Error> = {
  UnsupportedFormatError, UnreadableFileError, MissingCrsError, ArchiveTooLargeError, UnsafeArchiveError, InvalidUploadOptionError,
};

export function createUploadReader(): UploadReader {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: ReadResult<string | null>) => void; reject: (e: Error) => void; large: boolean }>();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    worker = undefined;
  };

  const start = (): Worker => {
    const w = new Worker(new URL('./read-worker.mjs', import.meta.url));
    w.on('message', (response: ReadResponse) => {
      const waiting = pending.get(response.id);
      if ((waiting?.large || response.heapBytes > INITIAL_HEAP_BYTES) && pending.size === 1) {
        // Nothing else waits on this worker: end it, and the next read starts another.
        if (worker === w) worker = undefined;
        void w.terminate();
      }
      if (!waiting) return;
      pending.delete(response.id);
      if (response.ok) {
        waiting.resolve(response.result);
      } else {
        const { name, message, details, stack } = response.error;
        const Known = UPLOAD_ERRORS[name];
        const error = Known ? new Known(message, details) : Object.assign(new Error(message), { stack });
        waiting.reject(error);
      }
    });
    w.on('error', (error) => failAll(new Error(`the upload reader stopped: ${error.message}`, { cause: error })));
    w.on('exit', (code) => {
      if (worker === w) failAll(new Error(`the upload reader stopped (exit code ${code})`));
    });
    // An idle reader must not keep the process alive.
    w.unref();
    return w;
  };

  return {
    read(file, options) {
      worker ??= start();
      const id = nextId++;
      const request: ReadRequest = { id, filename: file.filename, data: file.data, options };
      const large = file.data.byteLength >= LARGE_FILE_BYTES;
      // A buffer of its own is handed over rather than copied (the caller no longer needs it).
      const own = file.data.byteOffset === 0 && file.data.byteLength === file.data.buffer.byteLength && file.data.buffer instanceof ArrayBuffer;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, large });
        worker!.postMessage(request, own && large ? [file.data.buffer as ArrayBuffer] : []);
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      failAll(new Error('the server is closing'));
      if (w) await w.terminate();
    },
  };
}

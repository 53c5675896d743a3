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
  read(file: { filename: string; data: Uint8Array }, options: Omit<ReadUploadOptions, 'geometryAs'>): Promise<ReadResult<string | null>>;
  close(): Promise<void>;
}

const UPLOAD_ERRORS: Record<string, new (message: string, details?: Record<string, unknown>) => Error> = {
  UnsupportedFormatError, UnreadableFileError, MissingCrsError, ArchiveTooLargeError, UnsafeArchiveError, InvalidUploadOptionError,
};

export function createUploadReader(): UploadReader {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: ReadResult<string | null>) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    worker = undefined;
  };

  const start = (): Worker => {
    const w = new Worker(new URL('./read-worker.mjs', import.meta.url));
    w.on('message', (response: ReadResponse) => {
      const waiting = pending.get(response.id);
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
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker!.postMessage(request);
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

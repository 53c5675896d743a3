import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { reason } from './errors.js';

/**
 * Reading a multipart upload (one file in the part named "file", plus small text fields),
 * shared by boundary and reference-layer uploads. The plugin that calls it registers
 * @fastify/multipart with the limits.
 */
export interface UploadForm {
  file: { filename: string; data: Buffer };
  fields: Record<string, string>;
}

export async function readForm(
  request: FastifyRequest,
  limit: number,
  TooLarge: new () => Error,
  what = 'boundary',
): Promise<UploadForm> {
  const fields: Record<string, string> = {};
  let file: UploadForm['file'] | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          throw new AppError('invalid_request', 'send exactly one file, in the part named "file"', reason('one_file'));
        }
        file = { filename: part.filename || 'upload', data: await part.toBuffer() };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof TooLarge) throw tooLarge(limit, what);
    if (error instanceof AppError || (error as { statusCode?: number }).statusCode) throw error;
    // Busboy's words for a body that is not the multipart it claims to be (no boundary, cut short).
    throw new AppError('invalid_request', `the multipart/form-data body could not be read (${(error as Error).message}); send the file in a part named "file"`);
  }
  if (!file) throw new AppError('invalid_request', `file (body) is required: the ${what} file, in a part named "file"`, reason('one_file'));
  if (file.data.byteLength === 0) throw new AppError('invalid_request', `file (body) "${file.filename}" is empty`, reason('empty_file', { file: file.filename }));
  return { file, fields };
}

export function tooLarge(limit: number, what = 'boundary'): AppError {
  const limitMb = Math.round(limit / 1024 / 1024);
  return new AppError('payload_too_large', `The file is larger than the ${limitMb} MB limit for ${what} uploads.`, reason('file_too_large', { limit_mb: limitMb }));
}

import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

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
          throw new AppError('invalid_request', 'send exactly one file, in the part named "file"');
        }
        file = { filename: part.filename || 'upload', data: await part.toBuffer() };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof TooLarge) throw tooLarge(limit, what);
    throw error;
  }
  if (!file) throw new AppError('invalid_request', `file (body) is required: the ${what} file, in a part named "file"`);
  if (file.data.byteLength === 0) throw new AppError('invalid_request', `file (body) "${file.filename}" is empty`);
  return { file, fields };
}

export function tooLarge(limit: number, what = 'boundary'): AppError {
  return new AppError('payload_too_large', `The file is larger than the ${Math.round(limit / 1024 / 1024)} MB limit for ${what} uploads.`);
}

import { AppError } from '../errors.js';

/**
 * Why an upload could not be read. Each class carries the catalogue code and HTTP status of
 * server/errors.ts, so the app's error handler can answer with them as they are; routes that
 * want to say more can still tell them apart with `instanceof`.
 *
 * Each refusal also carries a stable reason `code` and its `values` (the file name, the
 * field, the limit …) in its details: the English message is for API users and logs, the
 * client words the refusal from the code in the user's language. A class has a general code
 * that a throw site may make more precise.
 */

/** The details of a refusal: its reason code and values, and any other members it answers with. */
export function reason(code: string, values: Record<string, string | number | null> = {}, more: Record<string, unknown> = {}) {
  return { code, values, ...more };
}

const withCode = (code: string, details?: Record<string, unknown>) => ({ code, values: {}, ...details });

/** 415: not a format we read (unknown extension, or GDAL does not recognise the content). */
export class UnsupportedFormatError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('unsupported_media_type', message, withCode('unsupported_format', details));
    this.name = 'UnsupportedFormatError';
  }
}

/** 422: a supported format, but the file is damaged or inconsistent. */
export class UnreadableFileError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('unprocessable', message, withCode('unreadable_file', details));
    this.name = 'UnreadableFileError';
  }
}

/** 422: the file says nothing about its CRS and its coordinates are not longitude/latitude. */
export class MissingCrsError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('unprocessable', message, withCode('missing_crs', details));
    this.name = 'MissingCrsError';
  }
}

/** 413: a zip that would expand past the limits (size or number of entries). */
export class ArchiveTooLargeError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('payload_too_large', message, withCode('archive_too_large', details));
    this.name = 'ArchiveTooLargeError';
  }
}

/** 422: a zip entry that could escape its folder: `..`, an absolute path, a symlink. */
export class UnsafeArchiveError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('unprocessable', message, withCode('unsafe_archive', details));
    this.name = 'UnsafeArchiveError';
  }
}

/** 400: an option the caller gave (`source_srs`, `encoding`) that cannot be used. */
export class InvalidUploadOptionError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_request', message, withCode('invalid_option', details));
    this.name = 'InvalidUploadOptionError';
  }
}

/**
 * The catalogue of errors a client can see. Routes throw `new AppError(code, message)`;
 * the error handler in app.ts turns them into `{ error, message }` with the status below.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_bbox: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_acceptable: 406,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.details = details;
  }
}

export function notFound(what: string, id: string | number): AppError {
  return new AppError('not_found', `${what} ${id} does not exist`);
}

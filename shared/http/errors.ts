// Errors that carry their HTTP status. Handlers throw these; one middleware turns them into JSON responses.

import type { FieldErrors } from '../domain/field-errors.ts';

export type { FieldErrors };

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, fields?: FieldErrors) =>
  new HttpError(400, 'invalid_request', message, fields);
export const validationFailed = (fields: FieldErrors) =>
  new HttpError(400, 'validation_failed', 'The submission has invalid fields.', fields);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'A valid editor token is required.');
export const notFound = (what = 'The resource') => new HttpError(404, 'not_found', `${what} was not found.`);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const payloadTooLarge = (limitBytes: number) =>
  new HttpError(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
export const unsupportedMediaType = () =>
  new HttpError(
    415,
    'unsupported_media_type',
    'The request body must be JSON (Content-Type: application/json).',
  );
export const tooManyRequests = () => new HttpError(429, 'too_many_requests', 'Too many requests; slow down.');

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly fields?: FieldErrors };
}

export const errorBody = (error: HttpError): ErrorBody => ({
  error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
});

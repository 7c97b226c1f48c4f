// Errors that carry their HTTP status, and the mapping of the domain's own errors onto them. Handlers throw these for
// what only HTTP knows (media type, size, token); one middleware (jsonErrors) turns both kinds into JSON responses.

import { DomainError, type DomainErrorKind } from '../domain/errors.ts';
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
export const unauthorized = () => new HttpError(401, 'unauthorized', 'A valid editor token is required.');
/** A path that names nothing (no such route, no such file): the domain's own misses are DomainErrors. */
export const notFound = (what = 'The resource') => new HttpError(404, 'not_found', `${what} was not found.`);
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

/** The status each kind of domain refusal answers with. */
export const statusOfKind: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

/** The HttpError an error answers as: itself, a DomainError with its kind's status, or undefined (a 500). */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError)
    return new HttpError(statusOfKind[error.kind], error.code, error.message, error.fields);
  return undefined;
}

// What the domain refuses, in its own words. The HTTP layer (shared/http/errors.ts) gives each kind its status; the
// domain never knows it is behind an API.
import type { FieldErrors } from './field-errors.ts';

export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** The machine-readable code a client sees (`validation_failed`, `not_found`, …). */
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Input that breaks a rule: `fields` says which part and why. */
export const invalid = (message: string, fields?: FieldErrors) =>
  new DomainError('invalid', 'invalid_request', message, fields);
/** A body with invalid fields, every one of them named. */
export const validationFailed = (fields: FieldErrors, message = 'The submission has invalid fields.') =>
  new DomainError('invalid', 'validation_failed', message, fields);
export const notFound = (what = 'The resource') =>
  new DomainError('not_found', 'not_found', `${what} was not found.`);
export const conflict = (message: string) => new DomainError('conflict', 'conflict', message);
export const forbidden = (message: string) => new DomainError('forbidden', 'forbidden', message);

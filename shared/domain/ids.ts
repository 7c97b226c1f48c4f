// Article ids: random, or derived from an Idempotency-Key so that a retried submission maps to the same id.
import { createHash, randomBytes } from 'node:crypto';

export const newArticleId = (): string => randomBytes(8).toString('hex');

export const idForIdempotencyKey = (key: string): string =>
  createHash('sha256').update(`idempotency:${key}`).digest('hex').slice(0, 16);

export const fingerprint = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url');

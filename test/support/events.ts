// Typed loaders for the sample events under events/, so tests use the same events as `npm run invoke`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const root = path.resolve(import.meta.dirname, '../..');

export function loadEvent<T>(relativePath: string, check: (value: unknown) => value is T): T {
  const value: unknown = JSON.parse(readFileSync(path.join(root, 'events', relativePath), 'utf8'));
  if (!check(value)) throw new Error(`events/${relativePath} does not have the expected shape`);
  return value;
}

export const isApiEvent = (value: unknown): value is APIGatewayProxyEventV2 =>
  typeof value === 'object' &&
  value !== null &&
  (value as { version?: unknown }).version === '2.0' &&
  typeof (value as { requestContext?: { http?: unknown } }).requestContext?.http === 'object';

export const loadApiEvent = (relativePath: string) => loadEvent(relativePath, isApiEvent);

export { lambdaContext } from '../../infra/local/lambda-context.ts';

// The edge between API Gateway v2 events and the domain: body parsing, responses and the error middleware.
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type Logger, logger } from '../log.ts';
import type { Access, FunctionName, RouteKeyOf } from '../routes.ts';
import {
  badRequest,
  errorBody,
  notFound,
  payloadTooLarge,
  toHttpError,
  unsupportedMediaType,
} from './errors.ts';

export type ApiResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * One function's handlers keyed by its routes in shared/routes.ts (those of one access, when `A` is given): the
 * compiler refuses a table that misses a declared route or holds one that is not declared (test/unit/route-tables.test.ts
 * checks the same at run time).
 */
export type RouteTable<F extends FunctionName, Call, A extends Access = Access> = {
  readonly [K in RouteKeyOf<F, A>]: (call: Call) => Promise<ApiResult>;
};

/** The table's handler for a request's route key; a key it does not hold is 404. */
export function handlerFor<T extends object>(table: T, routeKey: string): T[keyof T] {
  if (!Object.hasOwn(table, routeKey)) throw notFound('The route');
  return table[routeKey as keyof T];
}

/** Reads a JSON request body within a byte limit: 415 unless JSON, 413 when too large, 400 when malformed. */
export function parseJsonBody(event: APIGatewayProxyEventV2, limitBytes: number): unknown {
  const contentType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') throw unsupportedMediaType();
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > limitBytes) throw payloadTooLarge(limitBytes);
  if (bytes.byteLength === 0) throw badRequest('The request body is empty.');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

/**
 * Last middleware: turns thrown HttpErrors and DomainErrors into JSON error responses, and anything else into a 500 that
 * says nothing about the internals. The stack goes to the log, never to the client.
 */
export function jsonErrors(
  log: Logger = logger,
): MiddlewareObj<APIGatewayProxyEventV2, ApiResult, Error, Context> {
  return {
    onError: async (request) => {
      const error = toHttpError(request.error);
      if (error) {
        if (error.statusCode >= 500) log.error('request failed', { error });
        request.response = json(error.statusCode, errorBody(error));
        return;
      }
      log.error('unhandled error', { error: request.error });
      request.response = json(500, {
        error: { code: 'internal_error', message: 'Something went wrong on our side.' },
      });
    },
  };
}

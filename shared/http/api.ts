// The edge between API Gateway v2 events and the domain: body parsing, responses and the error middleware.
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type Logger, logger } from '../log.ts';
import { badRequest, errorBody, HttpError, payloadTooLarge, unsupportedMediaType } from './errors.ts';

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
 * Last middleware: turns thrown HttpErrors into JSON error responses, and anything else into a 500 that
 * says nothing about the internals. The stack goes to the log, never to the client.
 */
export function jsonErrors(
  log: Logger = logger,
): MiddlewareObj<APIGatewayProxyEventV2, ApiResult, Error, Context> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        if (error.statusCode >= 500)
          log.error('request failed', { error, requestId: request.context.awsRequestId });
        request.response = json(error.statusCode, errorBody(error));
        return;
      }
      log.error('unhandled error', { error, requestId: request.context.awsRequestId });
      request.response = json(500, {
        error: { code: 'internal_error', message: 'Something went wrong on our side.' },
      });
    },
  };
}

// /api/* only through CloudFront: CloudFront adds a secret header to every request it sends the HTTP API, and the
// functions refuse requests without it, so calls to the execute-api endpoint cannot go around the WAF and the cache.
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type Logger, logger } from '../log.ts';
import type { ApiResult } from './api.ts';
import { header, json } from './api.ts';

/** The header CloudFront's API origin adds (an origin custom header overwrites one a viewer sends). */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
/** The values the functions accept, comma-separated: the current secret and, during a rotation, the previous one. */
export const ORIGIN_SECRETS_ENV = 'ORIGIN_SECRETS';

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Whether a request carries one of the accepted secrets. */
export function fromOrigin(event: APIGatewayProxyEventV2, accepted: readonly string[]): boolean {
  const given = header(event, ORIGIN_VERIFY_HEADER);
  return given !== undefined && accepted.some((secret) => sameSecret(given, secret));
}

/** The accepted secrets from the environment; none (the local runtime, handler tests) turns the check off. */
export function acceptedOriginSecrets(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  return (env[ORIGIN_SECRETS_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * First middleware of every API function: 403 for a request that did not come through CloudFront. In AWS the stack
 * always sets ORIGIN_SECRETS (test/infra/edge.test.ts); locally the gateway is the only way in, so it is unset.
 */
export function cloudFrontOnly(
  accepted: readonly string[] = acceptedOriginSecrets(),
  log: Logger = logger,
): MiddlewareObj<APIGatewayProxyEventV2, ApiResult, Error, Context> {
  return {
    before: (request) => {
      if (accepted.length === 0 || fromOrigin(request.event, accepted)) return;
      log.warn('request without the origin header refused');
      return json(403, {
        error: { code: 'forbidden', message: 'This API is served only through the site.' },
      });
    },
  };
}

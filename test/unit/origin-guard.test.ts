// /api/* only through CloudFront: a request to the execute-api endpoint without CloudFront's secret header is refused
// before the handler runs; CloudFront's own requests, with the current or (during a rotation) previous secret, pass.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ApiResult, json, jsonErrors } from '#shared/http/api.ts';
import {
  acceptedOriginSecrets,
  cloudFrontOnly,
  ORIGIN_SECRETS_ENV,
  ORIGIN_VERIFY_HEADER,
} from '#shared/http/origin-guard.ts';
import { lambdaContext, loadApiEvent } from '../support/events.ts';

const current = 'Q3k9ZxA0cGv1Lr8mN2bT5yW7uE4iO6pS1dF3gH5jK7lZ9xC0';
const previous = 'p0O9i8U7y6T5r4E3w2Q1a0S9d8F7g6H5j4K3l2Z1x0C9v8B7';

function guarded(accepted: readonly string[]) {
  const seen: APIGatewayProxyEventV2[] = [];
  const handler = middy<APIGatewayProxyEventV2, ApiResult>()
    .handler(async (event) => {
      seen.push(event);
      return json(201, { id: 'x', status: 'pending' });
    })
    .use(cloudFrontOnly(accepted))
    .use(jsonErrors());
  return { handler, seen };
}

const withHeaders = (headers: Record<string, string>): APIGatewayProxyEventV2 => {
  const event = loadApiEvent('submit/seed-article.json');
  return { ...event, headers: { ...event.headers, ...headers } };
};

describe('the origin guard on API functions', () => {
  it('refuses a direct call to execute-api (no header, a wrong or a truncated secret) before the handler runs', async () => {
    const { handler, seen } = guarded([current]);
    const hostile: Record<string, string>[] = [
      {},
      { [ORIGIN_VERIFY_HEADER]: '' },
      { [ORIGIN_VERIFY_HEADER]: 'guess' },
      { [ORIGIN_VERIFY_HEADER]: current.slice(0, -1) },
      { [ORIGIN_VERIFY_HEADER]: `${current.slice(0, -1)}X` },
      { [ORIGIN_VERIFY_HEADER]: `${current},${current}` },
      { 'x-origin-verify-2': current },
    ];
    for (const headers of hostile) {
      const result = await handler(withHeaders(headers), lambdaContext('submit'));
      expect(result.statusCode, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(String(result.body))).toEqual({
        error: { code: 'forbidden', message: 'This API is served only through the site.' },
      });
    }
    expect(seen).toHaveLength(0);
  });

  it("passes CloudFront's requests, with the current or the previous secret, in any header case", async () => {
    const { handler, seen } = guarded([current, previous]);
    const fromCloudFront: Record<string, string>[] = [
      { [ORIGIN_VERIFY_HEADER]: current },
      { 'X-Origin-Verify': current },
      { [ORIGIN_VERIFY_HEADER]: previous },
    ];
    for (const headers of fromCloudFront)
      expect((await handler(withHeaders(headers), lambdaContext('submit'))).statusCode).toBe(201);
    expect(seen).toHaveLength(3);
  });

  it('reads the accepted secrets from the environment; none (local runtime, handler tests) turns it off', async () => {
    expect(acceptedOriginSecrets({ [ORIGIN_SECRETS_ENV]: `${current},${previous}` })).toEqual([
      current,
      previous,
    ]);
    expect(acceptedOriginSecrets({ [ORIGIN_SECRETS_ENV]: ` ${current} ,` })).toEqual([current]);
    expect(acceptedOriginSecrets({})).toEqual([]);
    const { handler } = guarded(acceptedOriginSecrets({}));
    expect((await handler(withHeaders({}), lambdaContext('submit'))).statusCode).toBe(201);
  });
});

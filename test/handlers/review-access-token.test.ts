// The desk sends an access token (the only kind carrying the desk's scope), and access tokens carry no
// preferred_username: the name printed as 责任编辑 is read from the managed login's userInfo with that token. A local
// HTTP server plays Cognito's userInfo endpoint.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, editorName } from '#functions/review/handler.ts';
import { cognitoUserInfo } from '#shared/aws/editor-profiles.ts';
import { DESK_SCOPE } from '#shared/domain/roles.ts';
import { HttpError } from '#shared/http/errors.ts';
import { loadApiEvent } from '../support/events.ts';

const TOKEN = 'eyJraWQiOiJhY2Nlc3MifQ.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.c2ln';
let server: Server;
let loginUrl: string;
const calls: IncomingMessage[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    calls.push(req);
    if (req.url !== '/oauth2/userInfo' || req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  loginUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** events/review/publish.json as the desk now sends it: a Cognito access token's claims, as the authorizer passes them. */
function withAccessToken(
  sub = '7c9e6679-7425-40de-944b-e07fc1f90ae7',
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const event = loadApiEvent('review/publish.json') as APIGatewayProxyEventV2WithJWTAuthorizer;
  return {
    ...event,
    headers: { ...event.headers, authorization: `Bearer ${TOKEN}` },
    requestContext: {
      ...event.requestContext,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: {
            sub,
            'cognito:groups': '[editors]',
            iss: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_Nw5R0omEd',
            client_id: '4h2k8q3m9n1p5r7t6v0w2x4y6z',
            token_use: 'access',
            scope: `openid profile ${DESK_SCOPE}`,
            username: 'zhangwei01',
          },
          scopes: ['openid', 'profile', DESK_SCOPE],
        },
      },
    },
  };
}

describe("the editor's name behind an access token", () => {
  it("is the account's preferred_username from userInfo, read once per account within the cache time", async () => {
    answer = { status: 200, body: { sub: 'x', preferred_username: '张伟', username: 'zhangwei01' } };
    const profiles = cognitoUserInfo(loginUrl);
    calls.length = 0;
    expect(await editorName(withAccessToken(), profiles)).toBe('张伟');
    expect(await actorOf(withAccessToken(), profiles)).toMatchObject({ name: '张伟', groups: ['editors'] });
    expect(calls).toHaveLength(1);
    // Another account is another read.
    await editorName(withAccessToken('9d1e2f3a-0000-4000-8000-000000000001'), profiles);
    expect(calls).toHaveLength(2);
  });

  it('falls back to the user name when the account has no preferred_username', async () => {
    answer = { status: 200, body: { sub: 'x', username: 'zhangwei01' } };
    expect(await editorName(withAccessToken(), cognitoUserInfo(loginUrl))).toBe('zhangwei01');
  });

  it('answers 503 rather than printing a wrong name when userInfo fails', async () => {
    answer = { status: 500, body: {} };
    const failure = await editorName(withAccessToken(), cognitoUserInfo(loginUrl)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HttpError);
    expect((failure as HttpError).statusCode).toBe(503);
  });

  it('takes the claim itself from an ID token or the local gateway, without calling userInfo', async () => {
    calls.length = 0;
    const idTokenEvent = loadApiEvent('review/publish.json') as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(await editorName(idTokenEvent, cognitoUserInfo(loginUrl))).toBe('admin');
    expect(calls).toHaveLength(0);
  });
});

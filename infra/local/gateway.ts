// The local stand-in for CloudFront plus the HTTP API: pages from the local bucket with the deployed headers
// policy and site-request function (directory indexes, old-URL 301s), `/api/*` through the shared route table to the same handlers.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { CHIEF_EDITORS_GROUP, EDITORS_GROUP } from '../../shared/domain/roles.ts';
import { UPLOAD_FORM_PATH } from '../../shared/domain/uploads.ts';
import { SEARCH_POLICY_PATHS, securityHeaderEntries, usesSearchPolicy } from '../../shared/headers.ts';
import {
  errorBody,
  HttpError,
  notFound,
  payloadTooLarge,
  tooManyRequests,
  unauthorized,
} from '../../shared/http/errors.ts';
import type { Logger } from '../../shared/log.ts';
import {
  type FunctionName,
  matchRoute,
  type Route,
  routeKey,
  routes,
  routeThrottles,
} from '../../shared/routes.ts';
import {
  answerSiteRequest,
  type EdgeRequest,
  NOT_FOUND_KEY,
  REDIRECTS_KEY,
  type RedirectLookup,
} from '../../shared/site-paths.ts';

export interface SiteObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl?: string;
  readonly etag?: string;
}

export interface GatewayOptions {
  readonly host: string;
  readonly port: number;
  readonly invoke: (fn: FunctionName, event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;
  readonly getObject: (key: string) => Promise<SiteObject | undefined>;
  /** Bearer token of the local editor (group `editors`) and the name it stands for. */
  readonly editorToken: string;
  readonly editorName: string;
  /** Bearer token of the local chief editor (groups `editors` and `chief-editors`), for two-step sign-off. */
  readonly chiefEditorToken?: string;
  readonly chiefEditorName?: string;
  readonly log: Logger;
  readonly routeTable?: readonly Route[];
  /** CloudFront's upload behaviour: forwards POST UPLOAD_FORM_PATH to the uploads bucket (upload-proxy.ts). */
  readonly uploadForm?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /**
   * The route throttles of shared/routes.ts (default on). Only throughput benchmarks turn them off, to measure the
   * runtime past the rate a route is allowed (`ROUTE_THROTTLES=off`).
   */
  readonly routeThrottles?: boolean;
}

/** API Gateway's own payload limit; the handlers enforce the contract's smaller limits themselves. */
const MAX_API_BODY_BYTES = 10 * 1024 * 1024;
const COMPRESSIBLE =
  /^(text\/|application\/(json|javascript|xml|rss\+xml|ld\+json|manifest\+json)|image\/svg\+xml)/;
const TEXT_BODY = /^(text\/|application\/(json|xml|x-www-form-urlencoded|.*\+json|.*\+xml))/;

class TokenBucket {
  private tokens: number;
  private last = Date.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        reject(payloadTooLarge(limit));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function buildApiEvent(
  req: IncomingMessage,
  url: URL,
  route: Route,
  pathParameters: Record<string, string>,
  body: Buffer,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie')
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const contentType = String(req.headers['content-type'] ?? '');
  const textual = body.byteLength === 0 || TEXT_BODY.test(contentType);
  const now = new Date();
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim());
  return {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: String(req.headers.host ?? 'localhost'),
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: String(req.headers['user-agent'] ?? ''),
      },
      requestId: randomUUID(),
      routeKey: routeKey(route),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
    ...(body.byteLength > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  } as APIGatewayProxyEventV2;
}

/** How long the gateway trusts its copy of the old-URL map before checking the bucket's ETag again. */
const REDIRECTS_RECHECK_MS = 1000;

/**
 * The local KeyValueStore: the importer's map in the site bucket, re-read when its ETag changes, so a finished
 * import answers its 301s at once without a gateway restart.
 */
function localRedirects(getObject: GatewayOptions['getObject']): RedirectLookup {
  let map = new Map<string, string>();
  let etag: string | undefined;
  let checked = 0;
  let loading: Promise<void> | undefined;
  const refresh = async () => {
    const object = await getObject(REDIRECTS_KEY);
    if (!object) map = new Map();
    else if (object.etag === undefined || object.etag !== etag) {
      map = new Map(Object.entries(JSON.parse(object.body.toString('utf8')) as Record<string, string>));
    }
    etag = object?.etag;
    checked = Date.now();
  };
  return async (key) => {
    if (Date.now() - checked > REDIRECTS_RECHECK_MS) {
      loading ??= refresh().finally(() => {
        loading = undefined;
      });
      await loading;
    }
    return map.get(key) ?? null;
  };
}

export function startGateway(options: GatewayOptions): Promise<{ server: Server; url: string }> {
  const redirects = localRedirects(options.getObject);
  const table = options.routeTable ?? routes;
  const throttles = new Map(
    options.routeThrottles === false
      ? []
      : Object.entries(routeThrottles).map(([key, t]) => [key, new TokenBucket(t?.rate ?? 1, t?.burst ?? 1)]),
  );
  const localHeaders = securityHeaderEntries({ https: false });
  // The search page and its index carry the search page's policy, as CloudFront's `/search/*` behaviours do.
  const searchHeaders = securityHeaderEntries({ https: false, path: SEARCH_POLICY_PATHS[0] });
  // One compressed copy per page and encoding, replaced when the page's ETag changes: keyed by ETag instead, every
  // publish (home, feed, sitemap, channel pages rewritten) left its old copies behind until the cache was full.
  const compressed = new Map<string, { etag: string; packed: Buffer }>();
  // The claims API Gateway's JWT authorizer would pass for each local account, array claims in its
  // `[a b]` form (shared/domain/roles.ts parseGroups).
  const claimsFor = (name: string, groups: readonly string[]) => ({
    sub: `local-${name}`,
    'cognito:username': name,
    preferred_username: name,
    'cognito:groups': `[${groups.join(' ')}]`,
    token_use: 'id',
    iss: 'local',
  });
  const accounts = [
    { token: options.editorToken, claims: claimsFor(options.editorName, [EDITORS_GROUP]) },
    ...(options.chiefEditorToken
      ? [
          {
            token: options.chiefEditorToken,
            claims: claimsFor(options.chiefEditorName ?? 'chief', [EDITORS_GROUP, CHIEF_EDITORS_GROUP]),
          },
        ]
      : []),
  ];

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      ...localHeaders,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...extra,
    });
    res.end(JSON.stringify(body));
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const match = matchRoute(req.method ?? 'GET', url.pathname, table);
    if (!match) throw notFound('The API route');
    const { route, pathParameters } = match;
    let claims: Record<string, string> | undefined;
    if (route.access === 'editor') {
      const auth = String(req.headers.authorization ?? '');
      const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
      claims = token ? accounts.find((a) => sameToken(token, a.token))?.claims : undefined;
      if (!claims) throw unauthorized();
    }
    const bucket = throttles.get(routeKey(route));
    if (bucket && !bucket.take()) throw tooManyRequests();
    const body = await readBody(req, MAX_API_BODY_BYTES);
    const event = buildApiEvent(req, url, route, pathParameters, body, claims);
    const result = await options.invoke(route.fn, event);
    const structured =
      typeof result === 'string'
        ? { statusCode: 200, body: result, headers: { 'content-type': 'application/json' } }
        : result;
    const headers: Record<string, string | string[]> = { ...localHeaders };
    for (const [k, v] of Object.entries(structured.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
    const payload = structured.body
      ? Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8')
      : Buffer.alloc(0);
    res.writeHead(structured.statusCode ?? 200, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
  };

  const encodingFor = (req: IncomingMessage): 'br' | 'gzip' | undefined => {
    const accepted = String(req.headers['accept-encoding'] ?? '');
    if (/\bbr\b/.test(accepted)) return 'br';
    if (/\bgzip\b/.test(accepted)) return 'gzip';
    return undefined;
  };

  const sendObject = (
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    object: SiteObject,
    status: number,
  ) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const headers: Record<string, string> = {
      ...(status === 200 && usesSearchPolicy(path) ? searchHeaders : localHeaders),
      'content-type': object.contentType,
      ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}),
      ...(object.etag ? { etag: object.etag } : {}),
      vary: 'accept-encoding',
    };
    if (status === 200 && object.etag && req.headers['if-none-match'] === object.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let body = object.body;
    const encoding =
      COMPRESSIBLE.test(object.contentType) && body.byteLength > 512 ? encodingFor(req) : undefined;
    if (encoding) {
      const cacheKey = `${encoding}:${key}`;
      const cached = compressed.get(cacheKey);
      let packed = object.etag && cached?.etag === object.etag ? cached.packed : undefined;
      if (!packed) {
        packed =
          encoding === 'br'
            ? brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } })
            : gzipSync(body);
        if (object.etag) {
          if (compressed.size > 2000 && !cached) compressed.clear();
          compressed.set(cacheKey, { etag: object.etag, packed });
        }
      }
      body = packed;
      headers['content-encoding'] = encoding;
    }
    headers['content-length'] = String(body.byteLength);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const handleSite = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        { error: { code: 'method_not_allowed', message: 'Pages are read-only.' } },
        { allow: 'GET, HEAD' },
      );
      return;
    }
    const querystring: EdgeRequest['querystring'] = {};
    for (const [name, value] of url.searchParams) querystring[name] = { value };
    const rewritten = await answerSiteRequest({ uri: url.pathname, querystring }, redirects);
    if ('statusCode' in rewritten) {
      const headers: Record<string, string> = { ...localHeaders };
      for (const [name, { value }] of Object.entries(rewritten.headers)) headers[name] = value;
      res.writeHead(rewritten.statusCode, headers);
      res.end();
      return;
    }
    let key: string;
    try {
      key = decodeURIComponent(rewritten.uri).replace(/^\/+/, '');
    } catch {
      key = '';
    }
    const object = key ? await options.getObject(key) : undefined;
    if (object) {
      sendObject(req, res, key, object, 200);
      return;
    }
    const notFoundPage = await options.getObject(NOT_FOUND_KEY);
    if (notFoundPage) sendObject(req, res, NOT_FOUND_KEY, { ...notFoundPage, cacheControl: 'no-cache' }, 404);
    else sendJson(res, 404, errorBody(notFound('The page')));
  };

  const server = createServer(async (req, res) => {
    const started = Date.now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, { error: { code: 'invalid_request', message: 'Malformed URL.' } });
      return;
    }
    try {
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) await handleApi(req, res, url);
      else if (url.pathname === UPLOAD_FORM_PATH && options.uploadForm) await options.uploadForm(req, res);
      else await handleSite(req, res, url);
    } catch (error) {
      if (error instanceof HttpError) {
        sendJson(
          res,
          error.statusCode,
          errorBody(error),
          error.statusCode === 401 ? { 'www-authenticate': 'Bearer' } : {},
        );
      } else {
        options.log.error('gateway error', { error, path: url.pathname });
        sendJson(res, 502, {
          error: { code: 'bad_gateway', message: 'The function failed; see the runtime log.' },
        });
      }
    } finally {
      options.log.debug('request', {
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Date.now() - started,
      });
    }
  });
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://${options.host}:${port}` });
    });
  });
}

// The local stand-in for CloudFront plus the HTTP API, on Hono: pages from the local bucket with the deployed headers
// policy and site-request function (directory indexes, old-URL 301s), `/api/*` through the shared route table to the
// same handlers, as API Gateway events with its throttles and the JWT authorizer's claims.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
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

type GatewayEnv = { Bindings: HttpBindings };

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
  /** CloudFront's upload behaviour: POST UPLOAD_FORM_PATH forwarded to the uploads bucket (upload-proxy.ts). */
  readonly uploadForm?: Hono<GatewayEnv>;
  /**
   * The route throttles of shared/routes.ts (default on). Only throughput benchmarks turn them off, to measure the
   * runtime past the rate a route is allowed (`ROUTE_THROTTLES=off`).
   */
  readonly routeThrottles?: boolean;
}

/** API Gateway's own payload limit; the handlers enforce the contract's smaller limits themselves. */
const MAX_API_BODY_BYTES = 10 * 1024 * 1024;
/** What CloudFront compresses (its list of compressible types, the ones this site serves), from 512 bytes up. */
const COMPRESSIBLE =
  /^(text\/|application\/(json|javascript|xml|rss\+xml|ld\+json|manifest\+json)|image\/svg\+xml)/;
const COMPRESS_FROM_BYTES = 512;
const TEXT_BODY = /^(text\/|application\/(json|xml|x-www-form-urlencoded|.*\+json|.*\+xml))/;

/** API Gateway's throttle, a token bucket: `rate` a second up to `burst` (Hono's kept limiters count windows). */
function tokenBucket(rate: number, burst: number): () => boolean {
  let tokens = burst;
  let last = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

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

/**
 * CloudFront's compression: br, else gzip, of a compressible object, the compressed copy kept per object version as
 * the edge cache keeps it. (Hono's compress middleware streams gzip or deflate anew for every response: no br, and
 * the CPU of every read of a page spent again.) One copy per page and encoding, replaced when its ETag changes: keyed
 * by ETag instead, every publish (home, feed, sitemap, channel pages rewritten) left old copies behind.
 */
function edgeCompression() {
  const compressed = new Map<string, { etag: string; packed: Buffer }>();
  return (key: string, object: SiteObject, acceptEncoding: string) => {
    if (!COMPRESSIBLE.test(object.contentType) || object.body.byteLength <= COMPRESS_FROM_BYTES)
      return undefined;
    const encoding = /\bbr\b/.test(acceptEncoding)
      ? 'br'
      : /\bgzip\b/.test(acceptEncoding)
        ? 'gzip'
        : undefined;
    if (!encoding) return undefined;
    const cacheKey = `${encoding}:${key}`;
    const cached = compressed.get(cacheKey);
    if (object.etag && cached?.etag === object.etag) return { encoding, body: cached.packed };
    const packed =
      encoding === 'br'
        ? brotliCompressSync(object.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } })
        : gzipSync(object.body);
    if (object.etag) {
      if (compressed.size > 2000 && !cached) compressed.clear();
      compressed.set(cacheKey, { etag: object.etag, packed });
    }
    return { encoding, body: packed };
  };
}

export async function startGateway(options: GatewayOptions): Promise<{ server: Server; url: string }> {
  const redirects = localRedirects(options.getObject);
  const table = options.routeTable ?? routes;
  const throttles = new Map(
    options.routeThrottles === false
      ? []
      : Object.entries(routeThrottles).map(([key, t]) => [key, tokenBucket(t?.rate ?? 1, t?.burst ?? 1)]),
  );
  const localHeaders = securityHeaderEntries({ https: false });
  // The search page and its index carry the search page's policy, as CloudFront's `/search/*` behaviours do.
  const searchHeaders = securityHeaderEntries({ https: false, path: SEARCH_POLICY_PATHS[0] });
  const compress = edgeCompression();
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

  const app = new Hono<
    GatewayEnv & {
      Variables: { route: Route; pathParameters: Record<string, string>; claims?: Record<string, string> };
    }
  >();
  app.use(async (c, next) => {
    const started = Date.now();
    await next();
    options.log.debug('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Date.now() - started,
    });
  });
  app.onError((error, c) => {
    const json = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      c.json(body, status as ContentfulStatusCode, {
        ...localHeaders,
        'cache-control': 'no-store',
        ...extra,
      });
    if (error instanceof HttpError) {
      return json(
        error.statusCode,
        errorBody(error),
        error.statusCode === 401 ? { 'www-authenticate': 'Bearer' } : {},
      );
    }
    options.log.error('gateway error', { error, path: c.req.path });
    return json(502, {
      error: { code: 'bad_gateway', message: 'The function failed; see the runtime log.' },
    });
  });

  app.all(
    '/api/*',
    async (c, next) => {
      const match = matchRoute(c.req.method, new URL(c.req.url).pathname, table);
      if (!match) throw notFound('The API route');
      const { route, pathParameters } = match;
      if (route.access === 'editor') {
        const auth = c.req.header('authorization') ?? '';
        const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
        const claims = token ? accounts.find((a) => sameToken(token, a.token))?.claims : undefined;
        if (!claims) throw unauthorized();
        c.set('claims', claims);
      }
      if (throttles.get(routeKey(route))?.() === false) throw tooManyRequests();
      c.set('route', route);
      c.set('pathParameters', pathParameters);
      await next();
    },
    bodyLimit({
      maxSize: MAX_API_BODY_BYTES,
      onError: () => {
        throw payloadTooLarge(MAX_API_BODY_BYTES);
      },
    }),
    async (c) => {
      const route = c.get('route');
      const body = Buffer.from(await c.req.arrayBuffer());
      const url = new URL(c.req.url);
      const event = buildApiEvent(c.env.incoming, url, route, c.get('pathParameters'), body, c.get('claims'));
      const result = await options.invoke(route.fn, event);
      const structured =
        typeof result === 'string'
          ? { statusCode: 200, body: result, headers: { 'content-type': 'application/json' } }
          : result;
      const headers = new Headers(localHeaders);
      for (const [k, v] of Object.entries(structured.headers ?? {})) headers.set(k, String(v));
      for (const cookie of structured.cookies ?? []) headers.append('set-cookie', cookie);
      const payload = structured.body
        ? Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8')
        : null;
      return new Response(payload, { status: structured.statusCode ?? 200, headers });
    },
  );

  if (options.uploadForm) app.route(UPLOAD_FORM_PATH, options.uploadForm);

  // Everything else is a page from the site bucket.
  const page = (key: string, object: SiteObject, status: 200 | 404, path: string, accepted = '') => {
    const headers: Record<string, string> = {
      ...(status === 200 && usesSearchPolicy(path) ? searchHeaders : localHeaders),
      'content-type': object.contentType,
      ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}),
      ...(object.etag ? { etag: object.etag } : {}),
      vary: 'accept-encoding',
    };
    const packed = compress(key, object, accepted);
    if (packed) headers['content-encoding'] = packed.encoding;
    const body = packed?.body ?? object.body;
    headers['content-length'] = String(body.byteLength);
    // The bytes as they are, not a copy (a Buffer's type allows a SharedArrayBuffer, which a body may not be).
    return new Response(body as Uint8Array<ArrayBuffer>, { status, headers });
  };

  app.all(
    '*',
    // A 304 keeps the headers a 200 would have carried, the security policy among them.
    etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'content-type', ...Object.keys(localHeaders)] }),
    async (c) => {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        return c.json({ error: { code: 'method_not_allowed', message: 'Pages are read-only.' } }, 405, {
          ...localHeaders,
          'cache-control': 'no-store',
          allow: 'GET, HEAD',
        });
      }
      const url = new URL(c.req.url);
      const querystring: EdgeRequest['querystring'] = {};
      for (const [name, value] of url.searchParams) querystring[name] = { value };
      const rewritten = await answerSiteRequest({ uri: url.pathname, querystring }, redirects);
      if ('statusCode' in rewritten) {
        const headers: Record<string, string> = { ...localHeaders };
        for (const [name, { value }] of Object.entries(rewritten.headers)) headers[name] = value;
        return new Response(null, { status: rewritten.statusCode, headers });
      }
      let key: string;
      try {
        key = decodeURIComponent(rewritten.uri).replace(/^\/+/, '');
      } catch {
        key = '';
      }
      const accepted = c.req.header('accept-encoding');
      const object = key ? await options.getObject(key) : undefined;
      if (object) return page(key, object, 200, url.pathname, accepted);
      const missing = await options.getObject(NOT_FOUND_KEY);
      if (!missing) throw notFound('The page');
      return page(NOT_FOUND_KEY, { ...missing, cacheControl: 'no-cache' }, 404, url.pathname, accepted);
    },
  );

  // A request too malformed to make a Request of never reaches the app: it gets the API's JSON 400 here.
  const malformed = () =>
    Response.json({ error: { code: 'invalid_request', message: 'Malformed URL.' } }, { status: 400 });
  const server = createServer(getRequestListener(app.fetch, { errorHandler: malformed }));
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

// The one route table. The CDK HTTP API and the local gateway are both built from it.

import { PHOTO_PREVIEW_PATH } from './domain/photo-previews.ts';

export type FunctionName = 'submit' | 'review' | 'views' | 'uploads';
export type Access = 'public' | 'editor';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway v2 path syntax: `{id}` is a path parameter. */
  readonly path: string;
  readonly fn: FunctionName;
  readonly access: Access;
}

/** Only functions that are implemented appear here; each new function adds its routes in the same change. */
export const routes = [
  { method: 'POST', path: '/api/submissions', fn: 'submit', access: 'public' },
  { method: 'GET', path: '/api/admin/session', fn: 'review', access: 'editor' },
  { method: 'GET', path: '/api/submissions/{id}', fn: 'submit', access: 'public' },
  { method: 'GET', path: '/api/admin/submissions', fn: 'review', access: 'editor' },
  { method: 'GET', path: '/api/admin/submissions/{id}', fn: 'review', access: 'editor' },
  { method: 'GET', path: '/api/admin/submissions/{id}/preview', fn: 'review', access: 'editor' },
  { method: 'POST', path: '/api/admin/submissions/{id}/preview', fn: 'review', access: 'editor' },
  { method: 'POST', path: '/api/admin/submissions/{id}/publish', fn: 'review', access: 'editor' },
  { method: 'POST', path: '/api/admin/submissions/{id}/reject', fn: 'review', access: 'editor' },
  { method: 'POST', path: '/api/admin/submissions/{id}/unpublish', fn: 'review', access: 'editor' },
  { method: 'PUT', path: '/api/admin/submissions/{id}/images', fn: 'review', access: 'editor' },
  { method: 'PUT', path: '/api/admin/submissions/{id}', fn: 'review', access: 'editor' },
  { method: 'GET', path: '/api/admin/submissions/{id}/revisions', fn: 'review', access: 'editor' },
  { method: 'GET', path: '/api/admin/submissions/{id}/revisions/{n}', fn: 'review', access: 'editor' },
  { method: 'POST', path: '/api/admin/submissions/{id}/restore', fn: 'review', access: 'editor' },
  { method: 'POST', path: '/api/admin/submissions/{id}/approve', fn: 'review', access: 'editor' },
  { method: 'GET', path: '/api/admin/submissions/{id}/history', fn: 'review', access: 'editor' },
  // The preview's photos before they are public: the grant in the path is the signature (photo-previews.ts).
  { method: 'GET', path: `${PHOTO_PREVIEW_PATH}/{token}/{upload}/{file}`, fn: 'review', access: 'public' },
  { method: 'POST', path: '/api/admin/submissions/{id}/schedule', fn: 'review', access: 'editor' },
  { method: 'POST', path: '/api/admin/submissions/{id}/unschedule', fn: 'review', access: 'editor' },
  { method: 'POST', path: '/api/admin/submissions/{id}/preview-link', fn: 'review', access: 'editor' },
  { method: 'DELETE', path: '/api/admin/submissions/{id}/preview-links', fn: 'review', access: 'editor' },
  { method: 'GET', path: '/api/previews/{token}', fn: 'review', access: 'public' },
  { method: 'POST', path: '/api/uploads', fn: 'uploads', access: 'public' },
  { method: 'POST', path: '/api/views/{id}', fn: 'views', access: 'public' },
  { method: 'GET', path: '/api/views', fn: 'views', access: 'public' },
] as const satisfies readonly Route[];

export type RouteKey = `${HttpMethod} ${string}`;

type DeclaredRoute = (typeof routes)[number];

/** The literal keys (`POST /api/submissions`, …) of one function's routes, optionally only those of one access. */
export type RouteKeyOf<F extends FunctionName, A extends Access = Access> =
  Extract<DeclaredRoute, { fn: F; access: A }> extends infer R
    ? R extends { method: infer M extends string; path: infer P extends string }
      ? `${M} ${P}`
      : never
    : never;

export const routeKey = (route: Route): RouteKey => `${route.method} ${route.path}`;

/** The keys of one function's routes, as declared: what its handler's route table must hold, no more, no less. */
export const routeKeysOf = (fn: FunctionName, table: readonly Route[] = routes): RouteKey[] =>
  table.filter((r) => r.fn === fn).map(routeKey);

/** The declared route behind a route key, when there is one. */
export const routeOfKey = (key: string, table: readonly Route[] = routes): Route | undefined =>
  table.find((r) => routeKey(r) === key);

/** Functions that have at least one route, in the order they first appear. */
export function routedFunctions(table: readonly Route[] = routes): FunctionName[] {
  return [...new Set(table.map((r) => r.fn))];
}

/** Matches a concrete request path against the table, returning the route and its path parameters. */
export function matchRoute(
  method: string,
  path: string,
  table: readonly Route[] = routes,
): { route: Route; pathParameters: Record<string, string> } | undefined {
  const actual = path.split('/');
  for (const route of table) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== actual.length) continue;
    const pathParameters: Record<string, string> = {};
    const matched = pattern.every((segment, i) => {
      const value = actual[i] ?? '';
      if (segment.startsWith('{') && segment.endsWith('}')) {
        if (!value) return false;
        pathParameters[segment.slice(1, -1)] = decodeURIComponent(value);
        return true;
      }
      return segment === value;
    });
    if (matched) return { route, pathParameters };
  }
  return undefined;
}

/** Per-route throttles (requests per second, burst), enforced by the API stage in AWS and by the local gateway. */
export const routeThrottles: Partial<Record<RouteKey, { readonly rate: number; readonly burst: number }>> = {
  'POST /api/submissions': { rate: 5, burst: 20 },
  // The receipt lookup: a contributor checks now and then; a guesser gets 404s at this pace at most.
  'GET /api/submissions/{id}': { rate: 5, burst: 20 },
  // Preview links are for a handful of readers (a lawyer, a source), not for traffic.
  'GET /api/previews/{token}': { rate: 5, burst: 20 },
  // A submission carries up to 20 photos, each needing its own presigned POST.
  'POST /api/uploads': { rate: 10, burst: 40 },
  // One preview of a 20-photo article loads up to 60 files at once.
  [`GET ${PHOTO_PREVIEW_PATH}/{token}/{upload}/{file}`]: { rate: 20, burst: 100 },
  // Views: half the stage's budget, so a flood of views cannot starve submissions and the desk. Raise both with the
  // account's API Gateway quota for a site that expects more (docs/VIEW-COUNTS.md).
  'POST /api/views/{id}': { rate: 1000, burst: 2000 },
  // List pages' counts: CloudFront caches each ids= URL for 5 s, so the origin sees few of these.
  'GET /api/views': { rate: 100, burst: 200 },
};

/** Whole-API throttle for the default stage. */
export const apiThrottle = { rate: 2000, burst: 4000 } as const;

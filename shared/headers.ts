// The response-headers policy for every page and API response, defined once for CloudFront and the local gateway.

/** Strict CSP: no inline script or style, nothing from other origins, no framing. */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  'upgrade-insecure-requests',
].join('; ');

/**
 * The search page and the search index (`/search/*`, `/pagefind/*`): Pagefind's query engine is WebAssembly, run in
 * a worker whose script is served from `/pagefind/`, and compiling it needs `'wasm-unsafe-eval'`. It is allowed
 * there and nowhere else; it does not allow `eval()` of JavaScript.
 */
export const searchContentSecurityPolicy = contentSecurityPolicy.replace(
  "script-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
);

/** URL path prefixes served with searchContentSecurityPolicy; CloudFront gives each a cache behaviour (`/search/*`). */
export const SEARCH_POLICY_PATHS = ['/search/', '/pagefind/'] as const;

/** Whether `path` (a request path, without the query) is served with the search page's policy. */
export const usesSearchPolicy = (path: string): boolean =>
  SEARCH_POLICY_PATHS.some((prefix) => path.startsWith(prefix));

/**
 * The policy with more origins the pages may fetch from: in AWS the editor desk exchanges its sign-in code for
 * tokens at the Cognito managed login's `/oauth2/token`, which is another origin.
 */
export const contentSecurityPolicyConnecting = (origins: readonly string[]): string =>
  origins.length === 0
    ? contentSecurityPolicy
    : contentSecurityPolicy.replace("connect-src 'self'", `connect-src 'self' ${origins.join(' ')}`);

/** The search policy with the same extra origins (the search page links to nothing else, but keeps one rule). */
export const searchContentSecurityPolicyConnecting = (origins: readonly string[]): string =>
  origins.length === 0
    ? searchContentSecurityPolicy
    : searchContentSecurityPolicy.replace("connect-src 'self'", `connect-src 'self' ${origins.join(' ')}`);

export const securityHeaders = {
  contentSecurityPolicy,
  strictTransportSecurity: { maxAgeSeconds: 63_072_000, includeSubdomains: true, preload: true },
  contentTypeOptions: 'nosniff',
  frameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  permissionsPolicy: 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
} as const;

/**
 * The same policy as plain HTTP headers, for the local gateway; `path` picks the search page's policy for the
 * paths CloudFront serves with it.
 */
export function securityHeaderEntries(options: { https: boolean; path?: string }): Record<string, string> {
  const hsts = securityHeaders.strictTransportSecurity;
  const policy =
    options.path !== undefined && usesSearchPolicy(options.path)
      ? searchContentSecurityPolicy
      : securityHeaders.contentSecurityPolicy;
  const csp = options.https ? policy : policy.replace('; upgrade-insecure-requests', '');
  return {
    'content-security-policy': csp,
    ...(options.https
      ? { 'strict-transport-security': `max-age=${hsts.maxAgeSeconds}; includeSubDomains; preload` }
      : {}),
    'x-content-type-options': securityHeaders.contentTypeOptions,
    'x-frame-options': securityHeaders.frameOptions,
    'referrer-policy': securityHeaders.referrerPolicy,
    'permissions-policy': securityHeaders.permissionsPolicy,
  };
}

/** Cache-Control values, one per kind of object the site serves. */
export const cacheControl = {
  /** Hashed assets never change under the same name. */
  immutable: 'public, max-age=31536000, immutable',
  /** Pages: browsers revalidate, CloudFront holds them until invalidated. */
  page: 'public, max-age=0, s-maxage=31536000, must-revalidate',
  /** Feed and sitemap: crawlers poll them. */
  feed: 'public, max-age=300, s-maxage=31536000',
  /** Counts for list pages: a few seconds at the edge. */
  shortRead: 'public, max-age=5, s-maxage=5',
  noStore: 'no-store',
} as const;

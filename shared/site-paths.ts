// URL rules shared by CloudFront (as a CloudFront Function) and the local gateway: directory indexes, render's
// private state, and the 301s that keep a migrated site's old URLs alive (docs/MIGRATION.md).

/** Bucket prefix of render's own state (rankings, the rebuild manifest): stored beside the site, never served. */
export const STATE_PREFIX = '_state/';

/**
 * The old-URL map as the importer last wrote it, `{ "<old path>": "<new path>" }`: the local gateway's stand-in for
 * the CloudFront KeyValueStore, and the record from which a deployed store is filled.
 */
export const REDIRECTS_KEY = `${STATE_PREFIX}redirects.json`;

/**
 * Prefix of the map's keys that say which DedeCMS aids were imported, and so which old URLs the computed DedeCMS
 * rule answers: key `*dedecms/<n>` holds aids n·4096 … n·4096+4095 as a bitmap in hex (bit `aid % 4096` is bit
 * `aid % 4` of hex digit `aid % 4096 >> 2`), 1,024 characters, the store's longest value. An aid that was never
 * imported (an unmapped column, an unapproved row) has no bit: its old URL is a missing page (404), not a 301 to one.
 * 300,000 aids take 74 keys, about 75 KB of the store's 5 MB.
 */
export const DEDECMS_RULE_KEY = '*dedecms';
export const DEDECMS_AIDS_PER_KEY = 4096;

/** The map key holding `aid`'s bit. */
export const dedecmsAidsKey = (aid: number): string =>
  `${DEDECMS_RULE_KEY}/${Math.floor(aid / DEDECMS_AIDS_PER_KEY)}`;

/** Sets `aids`' bits in the map's DedeCMS keys (keeping the bits already there: a re-import adds, never drops). */
export function withDedecmsAids(map: Record<string, string>, aids: Iterable<number>): Record<string, string> {
  const next = { ...map };
  for (const aid of aids) {
    const key = dedecmsAidsKey(aid);
    const offset = aid % DEDECMS_AIDS_PER_KEY;
    const digits = (next[key] ?? '0'.repeat(DEDECMS_AIDS_PER_KEY / 4)).split('');
    const at = offset >> 2;
    digits[at] = (Number.parseInt(digits[at] ?? '0', 16) | (1 << (offset & 3))).toString(16);
    next[key] = digits.join('');
  }
  return next;
}

/** KeyValueStore limits (CloudFront quotas): the map must fit, or the importer refuses to write it. */
export const redirectStoreLimits = { totalBytes: 5 * 1024 * 1024, keyBytes: 512, valueBytes: 1024 } as const;

/**
 * The request rules, written as CloudFront Functions JavaScript (runtime 2.0). `lookup(key)` answers the new path
 * for an old one, or null: the KeyValueStore at the edge, the importer's map locally. The CDK stack deploys this
 * exact source and the local gateway evaluates it, so both worlds answer every URL identically.
 */
const siteRequestCore = `var OWN_PATHS = /^\\/(?:api|assets|media)\\/|^\\/\\d{4}\\/\\d{4}\\/[0-9a-f]{16}\\.html$/;
var DEDECMS_PATH = /\\/(\\d{4})(\\d{2})(\\d{2})\\/(\\d{1,14})\\.html$/;
function dedecmsArticleId(aid) {
  var hex = Number(aid).toString(16);
  while (hex.length < 12) hex = '0' + hex;
  return 'dede' + hex;
}
function redirectKey(request) {
  var query = request.querystring || {};
  var post = query.p || query.page_id;
  if (post && /^\\d{1,12}$/.test(post.value)) return request.uri + '?' + (query.p ? 'p=' : 'page_id=') + post.value;
  return request.uri;
}
async function movedTo(request, lookup) {
  var key = redirectKey(request);
  if (key === '/' || OWN_PATHS.test(request.uri)) return null;
  var found = await lookup(key);
  if (found) return found;
  var dedecms = DEDECMS_PATH.exec(request.uri);
  if (dedecms && (await dedecmsImported(Number(dedecms[4]), lookup))) {
    return '/' + dedecms[1] + '/' + dedecms[2] + dedecms[3] + '/' + dedecmsArticleId(dedecms[4]) + '.html';
  }
  return null;
}
async function dedecmsImported(aid, lookup) {
  var bits = await lookup('${DEDECMS_RULE_KEY}/' + Math.floor(aid / ${DEDECMS_AIDS_PER_KEY}));
  if (!bits) return false;
  var offset = aid % ${DEDECMS_AIDS_PER_KEY};
  var digit = parseInt(bits.charAt(offset >> 2), 16);
  return !isNaN(digit) && ((digit >> (offset & 3)) & 1) === 1;
}
async function siteRequest(request, lookup) {
  var uri = request.uri;
  // Render's own state is not part of the site under any spelling: percent-encoded (S3 decodes the key), in
  // another case, or behind repeated slashes. A key that is never written makes S3 answer 403, served as the 404
  // page like any missing page; a URI that does not decode is refused the same way.
  var plain;
  try {
    plain = decodeURIComponent(uri);
  } catch (e) {
    plain = '/${STATE_PREFIX}';
  }
  while (plain.indexOf('//') >= 0) plain = plain.replace('//', '/');
  if (plain.toLowerCase().startsWith('/${STATE_PREFIX}')) {
    request.uri = '/${STATE_PREFIX}none';
    return request;
  }
  var moved = await movedTo(request, lookup);
  if (moved) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: moved }, 'cache-control': { value: 'max-age=86400' } },
    };
  }
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') < uri.lastIndexOf('/') + 1 && !uri.startsWith('/api/')) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: uri + '/' } },
    };
  }
  return request;
}`;

/** The viewer-request function's source for a distribution whose old-URL map lives in KeyValueStore `storeId`. */
export const siteRequestFunctionSource = (storeId: string): string => `import cf from 'cloudfront';
var redirects = cf.kvs('${storeId}');
async function lookup(key) {
  try {
    return await redirects.get(key);
  } catch (e) {
    // A missing key (or one longer than the store allows) is simply not an old URL.
    return null;
  }
}
${siteRequestCore}
async function handler(event) {
  return siteRequest(event.request, lookup);
}`;

export interface EdgeRequest {
  uri: string;
  querystring?: Record<string, { value: string }>;
}
export type EdgeResult =
  | EdgeRequest
  | { statusCode: number; headers: Record<string, { value: string }> & { location: { value: string } } };
export type RedirectLookup = (key: string) => Promise<string | null | undefined>;

const compiled = new Function(
  `${siteRequestCore}; return { siteRequest, redirectKey, dedecmsArticleId };`,
)() as {
  siteRequest(request: EdgeRequest, lookup: RedirectLookup): Promise<EdgeResult>;
  redirectKey(request: EdgeRequest): string;
  dedecmsArticleId(aid: string | number): string;
};

/** The site request rules compiled for use in Node (the local gateway, the importer's checks, tests). */
export const answerSiteRequest = compiled.siteRequest;
/** The map key an old URL is stored under: its path, plus `?p=N` / `?page_id=N` for WordPress' plain links. */
export const redirectKeyOf = compiled.redirectKey;
/** The article id a DedeCMS article `aid` is imported under, so the computed rule can find its page. */
export const dedecmsArticleId = compiled.dedecmsArticleId;

/** An old absolute or root-relative URL as the edge sees it: path (as sent, percent-encoded) and query. */
export function edgeRequestFor(oldUrl: string): EdgeRequest {
  const url = new URL(oldUrl, 'http://old.invalid');
  const querystring: Record<string, { value: string }> = {};
  for (const [name, value] of url.searchParams) querystring[name] = { value };
  return { uri: url.pathname, querystring };
}

/** The S3 key of the 404 page; CloudFront and the local gateway both serve it for missing objects. */
export const NOT_FOUND_KEY = '404.html';

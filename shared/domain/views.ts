// View counts (点击量): which requests count as a view, id and token validation, and the hot list (点击排行)
// ranking over daily buckets. Pure: no AWS SDK; the Counters adapter (shared/aws/view-counts.ts) implements the
// ports below. The design and its numbers are in docs/VIEW-COUNTS.md.

/** Article ids are 16 lower-case hex characters (shared/domain/ids.ts). */
export const isArticleId = (value: string): boolean => /^[0-9a-f]{16}$/.test(value);

/**
 * `GET /api/views?ids=…` answers at most this many ids: what one list page can show, its `pageSize` (20) articles
 * plus the two 点击排行 windows (2 × 10). Each id is one key read (the article's total), so one request reads at most
 * 40 keys, one BatchGetItem.
 */
export const MAX_IDS_PER_READ = 40;

/**
 * User-Agents of obvious robots. Only the self-declared ones: anything that calls itself a bot, crawler or
 * spider (Googlebot, Baiduspider, bingbot, YandexBot, Sogou web spider, Bytespider, AhrefsBot …) or carries a
 * `+http://` contact link, Yahoo's Slurp, link-preview fetchers, command-line and library HTTP clients, and headless browsers. A robot that pretends to
 * be a browser is not caught here; that needs traffic analysis (see docs/VIEW-COUNTS.md). `bot` must stand
 * alone or before `/`, so the CUBOT phone brand is not a robot.
 */
export const BOT_USER_AGENT =
  /\bbot\b|bot\/|crawl|spider|slurp|archiver|\+https?:\/\/|facebookexternalhit|embedly|curl\/|wget\/|python-requests|python-urllib|aiohttp|httpx|go-http-client|java\/|okhttp|libwww|node-fetch|axios\/|undici|scrapy|headless|phantomjs|puppeteer|playwright|selenium|lighthouse|pagespeed|pingdom|uptimerobot/i;

export type NotCountedReason = 'head' | 'bot' | 'prefetch';

export type CountingDecision =
  | { readonly count: true }
  | { readonly count: false; readonly reason: NotCountedReason };

export interface ViewRequest {
  readonly method: string;
  /** Header lookup, case-insensitive. */
  readonly header: (name: string) => string | undefined;
}

/** Speculative loads announce themselves with one of these headers; the reader has not seen the page yet. */
const isSpeculative = (request: ViewRequest): boolean => {
  const purpose = [request.header('sec-purpose'), request.header('purpose'), request.header('x-purpose')]
    .filter((v): v is string => typeof v === 'string')
    .join(',')
    .toLowerCase();
  return (
    /\b(prefetch|prerender|preview)\b/.test(purpose) || request.header('x-moz')?.toLowerCase() === 'prefetch'
  );
};

/**
 * The counting rules, in order: HEAD is never a view (it fetches no page); a request without a User-Agent or
 * with an obvious robot's is not a reader; a prefetch or prerender is not (yet) a view.
 */
export function countingDecision(request: ViewRequest): CountingDecision {
  if (request.method.toUpperCase() === 'HEAD') return { count: false, reason: 'head' };
  const userAgent = request.header('user-agent')?.trim() ?? '';
  if (!userAgent || BOT_USER_AGENT.test(userAgent)) return { count: false, reason: 'bot' };
  if (isSpeculative(request)) return { count: false, reason: 'prefetch' };
  return { count: true };
}

/**
 * The page script sends a random `X-View-Id` per page load, and a view without one is refused (400) before any read.
 * A custom header makes a cross-origin `fetch` send a CORS preflight, which the API answers for no origin, and
 * `navigator.sendBeacon`, forms and `<img>` cannot add one: another site's page cannot send a view.
 */
export const VIEW_TOKEN_HEADER = 'x-view-id';

/**
 * Why a view is refused outright (before any read), else undefined. `Sec-Fetch-Site` (sent by every current
 * browser) must say `same-origin` when present: our page script's fetch always does; `cross-site`, `same-site` (a
 * sibling subdomain) and `none` (typed or bookmarked) cannot come from our page. Without it (older browsers, other
 * clients) the view token still has to be there.
 */
export function viewRefusal(
  request: Pick<ViewRequest, 'header'>,
): { readonly status: 400 | 403; readonly code: string; readonly message: string } | undefined {
  const site = request.header('sec-fetch-site')?.trim().toLowerCase();
  if (site !== undefined && site !== '' && site !== 'same-origin')
    return { status: 403, code: 'cross_site', message: "Views are counted only from this site's own pages." };
  if (!parseViewToken(request.header(VIEW_TOKEN_HEADER)))
    return {
      status: 400,
      code: 'view_token_required',
      message: 'A view needs the X-View-Id header that the page script sends (16 to 64 of A-Z a-z 0-9 _ -).',
    };
  return undefined;
}

export const parseViewToken = (value: string | undefined): string | undefined =>
  value && /^[A-Za-z0-9_-]{16,64}$/.test(value) ? value : undefined;

export type IdListResult =
  | { readonly ok: true; readonly ids: string[] }
  | { readonly ok: false; readonly message: string };

/** `ids=a,b,c` (API Gateway joins repeated parameters with commas): distinct valid ids, 1 to MAX_IDS_PER_READ. */
export function parseIdList(raw: string | undefined): IdListResult {
  const parts = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0)
    return { ok: false, message: `Give 1 to ${MAX_IDS_PER_READ} article ids as ids=a,b,c.` };
  const ids = [...new Set(parts)];
  if (ids.length > MAX_IDS_PER_READ)
    return { ok: false, message: `At most ${MAX_IDS_PER_READ} ids per request; got ${ids.length}.` };
  const bad = ids.find((id) => !isArticleId(id));
  if (bad !== undefined) return { ok: false, message: 'Every id is 16 lower-case hex characters.' };
  return { ok: true, ids };
}

export interface CountedView {
  readonly id: string;
  /** The count after this view (or the current count when the view was not counted). */
  readonly views: number;
  readonly counted: boolean;
}

// ---- Hot list (点击排行) ---------------------------------------------------------------------------------

/** The command event the scheduled rule (AWS) and the local timer send to the render function. */
export const REFRESH_HOT_COMMAND = { command: 'refresh-hot' } as const;
export const HOT_REFRESH_INTERVAL_MINUTES = 10;
export const HOT_LIST_LENGTH = 10;

export type HotWindow = '24h' | '7d';

const DAY_MS = 86_400_000;

/** Daily buckets are UTC days, `YYYY-MM-DD`. The windows slide over them (see hotScores), so the edge is moot. */
export const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/** The days a window reads: today plus every day that overlaps the window's start. */
export function daysFor(window: HotWindow, now: Date): string[] {
  const whole = window === '24h' ? 1 : 7;
  return Array.from({ length: whole + 1 }, (_, back) => dayOf(new Date(now.getTime() - back * DAY_MS)));
}

/**
 * Sliding-window scores from daily buckets: today's count in full, whole days in full, and the oldest day
 * weighted by the part of it still inside the window (the views are assumed even over that day). At 06:00 UTC
 * the 24 h score is today + 0.75 × yesterday.
 */
export function hotScores(
  buckets: ReadonlyMap<string, ReadonlyMap<string, number>>,
  window: HotWindow,
  now: Date,
): Map<string, number> {
  const days = daysFor(window, now);
  const elapsedToday = (now.getTime() % DAY_MS) / DAY_MS;
  const scores = new Map<string, number>();
  days.forEach((day, index) => {
    const weight = index === days.length - 1 ? 1 - elapsedToday : 1;
    for (const [id, n] of buckets.get(day) ?? []) scores.set(id, (scores.get(id) ?? 0) + n * weight);
  });
  return scores;
}

export interface HotEntry {
  readonly id: string;
  readonly score: number;
}

/**
 * The top `limit` ids by score among `eligible` ids (render passes the published articles of the page's channel),
 * ties broken by id so the same buckets always give the same list.
 */
export function rankHot(
  scores: ReadonlyMap<string, number>,
  eligible: (id: string) => boolean,
  limit = HOT_LIST_LENGTH,
): HotEntry[] {
  return [...scores]
    .filter(([id, score]) => score > 0 && eligible(id))
    .map(([id, score]) => ({ id, score: Math.round(score) }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
}

/** Pages show the order, not the scores: a re-render is due only when the ids or their order changed. */
export const rankingChanged = (before: readonly HotEntry[], after: readonly HotEntry[]): boolean =>
  before.length !== after.length || before.some((entry, i) => entry.id !== after[i]?.id);

/**
 * Per-instance tally of views for the daily buckets, written out in one go every `flushEveryMs` (or when it holds
 * `maxEntries` articles). Writing a bucket per view would double the cost of a view and put every article's
 * views on the same few partition keys; a tally turns 10,000 views/s into one write per article per instance
 * per interval. What a tally holds when its instance is shut down is lost to the ranking (never to the count).
 */
export class HotTally {
  private readonly counts = new Map<string, number>();
  private windowStart: number;

  constructor(
    private readonly flushEveryMs = 10_000,
    private readonly maxEntries = 500,
    startedAt = 0,
  ) {
    this.windowStart = startedAt;
  }

  add(id: string, at: Date): void {
    const key = `${dayOf(at)}#${id}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get size(): number {
    return this.counts.size;
  }

  due(now: Date): boolean {
    return (
      this.counts.size > 0 &&
      (now.getTime() - this.windowStart >= this.flushEveryMs || this.counts.size >= this.maxEntries)
    );
  }

  /** Takes everything tallied so far: `{day, id, n}` per bucket entry. */
  drain(now: Date): { day: string; id: string; n: number }[] {
    const entries = [...this.counts].map(([key, n]) => {
      const [day = '', id = ''] = key.split('#');
      return { day, id, n };
    });
    this.counts.clear();
    this.windowStart = now.getTime();
    return entries;
  }

  /** Puts back entries whose write failed, so the next flush retries them. */
  restore(entries: readonly { day: string; id: string; n: number }[]): void {
    for (const { day, id, n } of entries) {
      const key = `${day}#${id}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    }
  }
}

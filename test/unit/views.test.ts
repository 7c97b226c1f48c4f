import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseShard, HOT_SHARDS, hotBucketKey, VIEW_SHARDS, viewShardKey } from '#shared/aws/view-counts.ts';
import {
  countingDecision,
  daysFor,
  HotTally,
  hotScores,
  isArticleId,
  MAX_IDS_PER_READ,
  parseIdList,
  parseViewToken,
  rankHot,
  rankingChanged,
  viewRefusal,
} from '#shared/domain/views.ts';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const request = (method: string, headers: Record<string, string>) => ({
  method,
  header: (name: string) => headers[name.toLowerCase()],
});

describe('counting rules', () => {
  it('counts a browser GET/POST', () => {
    expect(countingDecision(request('POST', { 'user-agent': CHROME }))).toEqual({ count: true });
    const phone =
      'Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
    expect(countingDecision(request('POST', { 'user-agent': phone }))).toEqual({ count: true });
  });

  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
    'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
    'Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)',
    'curl/8.5.0',
    'Wget/1.21.4',
    'python-requests/2.32.3',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    '',
  ])('does not count the robot %j', (userAgent) => {
    expect(countingDecision(request('POST', { 'user-agent': userAgent }))).toEqual({
      count: false,
      reason: 'bot',
    });
  });

  it('does not count HEAD, prefetch or prerender', () => {
    expect(countingDecision(request('HEAD', { 'user-agent': CHROME }))).toEqual({
      count: false,
      reason: 'head',
    });
    const speculative: Record<string, string>[] = [
      { 'sec-purpose': 'prefetch' },
      { 'sec-purpose': 'prefetch;prerender' },
      { purpose: 'prefetch' },
      { 'x-purpose': 'preview' },
      { 'x-moz': 'prefetch' },
    ];
    for (const headers of speculative) {
      expect(countingDecision(request('POST', { 'user-agent': CHROME, ...headers }))).toEqual({
        count: false,
        reason: 'prefetch',
      });
    }
  });
});

describe('ids and tokens', () => {
  it('accepts 16 lower-case hex characters only', () => {
    expect(isArticleId('2a8c6bce1fad40bb')).toBe(true);
    for (const bad of ['2A8C6BCE1FAD40BB', '2a8c6bce1fad40b', '2a8c6bce1fad40bbb', '../../etc/passwd', ''])
      expect(isArticleId(bad)).toBe(false);
  });

  it('parses 1 to MAX_IDS_PER_READ (40) distinct ids and refuses more', () => {
    expect(parseIdList('2a8c6bce1fad40bb, 2a8c6bce1fad40bb,00000000deadbeef')).toEqual({
      ok: true,
      ids: ['2a8c6bce1fad40bb', '00000000deadbeef'],
    });
    const ids = (n: number) =>
      Array.from({ length: n }, (_, i) => i.toString(16).padStart(16, '0')).join(',');
    expect(parseIdList(ids(MAX_IDS_PER_READ)).ok).toBe(true);
    expect(parseIdList(ids(MAX_IDS_PER_READ + 1)).ok).toBe(false);
    expect(parseIdList(undefined).ok).toBe(false);
  });

  it('never accepts an id list with an invalid id (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (parts) => {
        const result = parseIdList(parts.join(','));
        if (result.ok) expect(result.ids.every(isArticleId)).toBe(true);
      }),
    );
  });

  it('takes view tokens of 16–64 URL-safe characters and ignores anything else', () => {
    expect(parseViewToken('0b6f4a6e-8a53-4c1e-9d7e-2f3c4b5a6d7e')).toBe(
      '0b6f4a6e-8a53-4c1e-9d7e-2f3c4b5a6d7e',
    );
    for (const bad of [
      undefined,
      '',
      'short',
      'x'.repeat(65),
      'has space in it 1234',
      'seen#2a8c6bce1fad40bb',
    ])
      expect(parseViewToken(bad)).toBeUndefined();
  });
});

describe('keys', () => {
  it('spreads shards evenly over their keys', () => {
    const hits = new Array<number>(VIEW_SHARDS).fill(0);
    for (let i = 0; i < VIEW_SHARDS * 1000; i++) {
      const shard = chooseShard(Math.random, VIEW_SHARDS);
      hits[shard] = (hits[shard] ?? 0) + 1;
    }
    expect(Math.min(...hits)).toBeGreaterThan(800);
    expect(chooseShard(() => 0.999999999, VIEW_SHARDS)).toBe(VIEW_SHARDS - 1);
    expect(
      new Set(Array.from({ length: VIEW_SHARDS }, (_, s) => viewShardKey('2a8c6bce1fad40bb', s).pk)).size,
    ).toBe(VIEW_SHARDS);
    expect(hotBucketKey('2026-11-28', HOT_SHARDS - 1, '2a8c6bce1fad40bb')).toEqual({
      pk: 'hot#2026-11-28#07',
      sk: '2a8c6bce1fad40bb',
    });
  });
});

describe('hot list', () => {
  const now = new Date('2026-11-28T18:00:00Z');
  const buckets = new Map([
    [
      '2026-11-28',
      new Map([
        ['a', 10],
        ['b', 4],
      ]),
    ],
    [
      '2026-11-27',
      new Map([
        ['b', 40],
        ['c', 8],
      ]),
    ],
    ['2026-11-21', new Map([['d', 1000]])],
    ['2026-11-20', new Map([['e', 1000]])],
  ]);

  it('slides the window over daily buckets', () => {
    expect(daysFor('24h', now)).toEqual(['2026-11-28', '2026-11-27']);
    expect(daysFor('7d', now)).toHaveLength(8);
    const day = hotScores(buckets, '24h', now);
    expect(day.get('a')).toBe(10);
    expect(day.get('b')).toBe(4 + 40 * 0.25);
    expect(day.has('d')).toBe(false);
    const week = hotScores(buckets, '7d', now);
    expect(week.get('d')).toBe(250); // 6 h of 2026-11-21 are inside the 7 days
    expect(week.has('e')).toBe(false);
  });

  it('ranks eligible ids, deterministically, and tells when the order changed', () => {
    const ranking = rankHot(hotScores(buckets, '24h', now), (id) => id !== 'c');
    expect(ranking).toEqual([
      { id: 'b', score: 14 },
      { id: 'a', score: 10 },
    ]);
    expect(rankingChanged(ranking, [...ranking])).toBe(false);
    expect(rankingChanged(ranking, [...ranking].reverse())).toBe(true);
    expect(rankingChanged(ranking, ranking.slice(0, 1))).toBe(true);
  });

  it('tallies per day and article, flushes on time or size, and takes failed entries back', () => {
    const tally = new HotTally(10_000, 3, 0);
    tally.add('a', new Date(1_000));
    tally.add('a', new Date(2_000));
    expect(tally.due(new Date(5_000))).toBe(false);
    expect(tally.due(new Date(10_000))).toBe(true);
    const drained = tally.drain(new Date(10_000));
    expect(drained).toEqual([{ day: '1970-01-01', id: 'a', n: 2 }]);
    expect(tally.due(new Date(20_000))).toBe(false);
    tally.restore(drained);
    tally.add('b', new Date(11_000));
    tally.add('c', new Date(11_000));
    expect(tally.due(new Date(11_000))).toBe(true);
  });
});

describe('viewRefusal: who may send a view', () => {
  const from = (headers: Record<string, string>) => ({
    header: (name: string) => headers[name.toLowerCase()],
  });
  const token = 'Yq3kX9vB2nL7tR4sW8pZ1c';

  it('lets our own page through: same-origin with a token, or no Sec-Fetch-Site at all', () => {
    expect(viewRefusal(from({ 'sec-fetch-site': 'same-origin', 'x-view-id': token }))).toBeUndefined();
    expect(viewRefusal(from({ 'x-view-id': token }))).toBeUndefined();
  });

  it('refuses any other Sec-Fetch-Site with 403, whatever the token', () => {
    for (const site of ['cross-site', 'same-site', 'none', 'Cross-Site'])
      expect(viewRefusal(from({ 'sec-fetch-site': site, 'x-view-id': token }))).toMatchObject({
        status: 403,
        code: 'cross_site',
      });
  });

  it('refuses a missing or malformed X-View-Id with 400', () => {
    const cases: Record<string, string>[] = [
      {},
      { 'x-view-id': 'short' },
      { 'x-view-id': 'has spaces in it, sixteen+' },
    ];
    for (const headers of cases)
      expect(viewRefusal(from(headers))).toMatchObject({ status: 400, code: 'view_token_required' });
  });
});

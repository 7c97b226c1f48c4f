// The old-URL map: every imported article's old URLs → its page. Pairs the computed DedeCMS rule already answers are
// left out, so the map holds only what a rule cannot know (WordPress permalinks, `?p=N`, odd DedeCMS name rules)
// and fits a CloudFront KeyValueStore (docs/MIGRATION.md). Written to the site bucket, where the local gateway reads it.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Article } from '../../shared/domain/article.ts';
import { articlePath } from '../../shared/domain/urls.ts';
import {
  answerSiteRequest,
  DEDECMS_RULE_KEY,
  edgeRequestFor,
  REDIRECTS_KEY,
  redirectStoreLimits,
  withDedecmsAids,
} from '../../shared/site-paths.ts';

export interface RedirectOutcome {
  /** Old URLs that now answer 301 to their article. */
  readonly total: number;
  /** Of those, held in the map. */
  readonly stored: number;
  /** Of those, answered by the DedeCMS rule without an entry. */
  readonly computed: number;
  /** Bytes of the whole map, against the store's 5 MB. */
  readonly bytes: number;
  /** Old URLs that cannot be answered, and why. */
  readonly refused: { readonly ref: string; readonly reason: string }[];
  /** The whole map as written: what a deployed stage's KeyValueStore is made to hold. */
  readonly map: Readonly<Record<string, string>>;
}

async function readMap(s3: S3Client, bucket: string): Promise<Record<string, string>> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: REDIRECTS_KEY }));
    return JSON.parse((await object.Body?.transformToString('utf8')) ?? '{}') as Record<string, string>;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return {};
    throw error;
  }
}

const sorted = (map: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export async function writeRedirects(
  articles: readonly Pick<Article, 'id' | 'publishedAt' | 'oldUrls'>[],
  dedecmsRule: boolean,
  deps: { readonly s3: S3Client; readonly bucket: string },
): Promise<RedirectOutcome> {
  const before = await readMap(deps.s3, deps.bucket);
  const map: Record<string, string> = { ...before };
  // The computed rule answers only the aids imported (this run's and earlier runs'): any other aid is a 404.
  if (dedecmsRule) {
    delete map[DEDECMS_RULE_KEY]; // the on/off flag of earlier versions, replaced by the aids' bitmap
    const aids = articles.flatMap((a) => {
      const hex = /^dede([0-9a-f]{12})$/.exec(a.id)?.[1];
      return hex && a.publishedAt ? [Number.parseInt(hex, 16)] : [];
    });
    Object.assign(map, withDedecmsAids(map, aids));
  }
  const ruleOnly = async (key: string) =>
    key.startsWith(`${DEDECMS_RULE_KEY}/`) ? (map[key] ?? null) : null;
  const refused: RedirectOutcome['refused'] = [];
  const pairs: { key: string; target: string; ref: string }[] = [];
  for (const article of articles) {
    if (!article.publishedAt) continue;
    const target = articlePath({ id: article.id, publishedAt: article.publishedAt });
    for (const key of article.oldUrls ?? []) pairs.push({ key, target, ref: article.id });
  }
  let computed = 0;
  for (const pair of pairs) {
    const byRule = await answerSiteRequest(edgeRequestFor(pair.key), ruleOnly);
    if ('statusCode' in byRule && byRule.headers.location.value === pair.target) {
      delete map[pair.key];
      computed++;
    } else if (Buffer.byteLength(pair.key) > redirectStoreLimits.keyBytes) {
      refused.push({
        ref: pair.ref,
        reason: `old URL longer than ${redirectStoreLimits.keyBytes} bytes: ${pair.key.slice(0, 80)}…`,
      });
    } else {
      map[pair.key] = pair.target;
    }
  }
  // Every pair must now answer its 301 through the same rules the edge runs, or it is listed.
  const lookup = async (key: string) => map[key] ?? null;
  let total = 0;
  for (const pair of pairs) {
    const answer = await answerSiteRequest(edgeRequestFor(pair.key), lookup);
    if ('statusCode' in answer && answer.headers.location.value === pair.target) total++;
    else if (Buffer.byteLength(pair.key) <= redirectStoreLimits.keyBytes) {
      refused.push({ ref: pair.ref, reason: `old URL ${pair.key} is one of the site's own paths` });
    }
  }
  const text = JSON.stringify(sorted(map));
  const bytes = Object.entries(map).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > redirectStoreLimits.totalBytes) {
    throw new Error(
      `the redirect map would hold ${bytes} bytes, over the KeyValueStore's ${redirectStoreLimits.totalBytes}; see docs/MIGRATION.md`,
    );
  }
  if (text !== JSON.stringify(sorted(before))) {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.bucket,
        Key: REDIRECTS_KEY,
        Body: text,
        ContentType: 'application/json',
        CacheControl: 'no-store',
      }),
    );
  }
  const stored = pairs.length - computed - refused.length;
  return { total, stored: Math.max(0, stored), computed, bytes, refused, map: sorted(map) };
}

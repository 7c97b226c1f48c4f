// Turns one imported Markdown file (front matter + body) into a published article, with the same validation a
// submission gets, so old articles meet the same rules as new ones.
import { createHash } from 'node:crypto';
import { siteConfig } from '../site-config.ts';
import { type Article, isArticleId } from './article.ts';
import { validateSubmission } from './submission.ts';
import type { ImageRef } from './uploads.ts';

export const IMPORT_KEYS = [
  'title',
  'channel',
  'author',
  'source',
  'editor',
  'publishedAt',
  'views',
  'id',
  'summary',
];

export type ImportResult =
  | { readonly ok: true; readonly article: Article; readonly views: number; readonly ignoredKeys: string[] }
  | { readonly ok: false; readonly error: string };

/** A stable id from the file's path, so importing the same tree twice addresses the same items. */
export const importIdFor = (relativePath: string): string =>
  createHash('sha256').update(`import:${relativePath}`).digest('hex').slice(0, 16);

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The offset of `timeZone` at `instant`, as `+08:00`. One formatter per zone: building one costs ~0.3 ms. */
function offsetAt(instant: Date, timeZone: string): string {
  let format = offsetFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, format);
  }
  const name = format.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return match ? `${match[1]}:${match[2] ?? '00'}` : '+00:00';
}

/** Accepts ISO 8601 with an offset, or a CMS-style `2022-04-15 18:52:40` read in the site's time zone. */
export function parsePublishedAt(value: string, timeZone = siteConfig.timeZone): string | undefined {
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(value.trim());
  let iso = value.trim();
  if (local) {
    const [, date, time = ''] = local;
    const withSeconds = time.length === 5 ? `${time}:00` : time;
    const guess = new Date(`${date}T${withSeconds}Z`);
    iso = `${date}T${withSeconds}${offsetAt(guess, timeZone)}`;
  } else if (!/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso)) {
    return undefined;
  }
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? undefined : iso;
}

export function articleFromImport(
  data: Record<string, string>,
  body: string,
  relativePath: string,
  images: readonly ImageRef[] = [],
): ImportResult {
  const ignoredKeys = Object.keys(data).filter((k) => !IMPORT_KEYS.includes(k));
  const validation = validateSubmission({
    title: data.title,
    body,
    author: data.author ?? '',
    source: data.source ?? '',
    channel: data.channel,
    summary: data.summary ?? '',
    ...(images.length > 0 ? { images } : {}),
  });
  if (!validation.ok) {
    const reasons = Object.entries(validation.fields).map(([field, message]) => `${field}: ${message}`);
    return { ok: false, error: reasons.join('; ') };
  }
  if (!data.publishedAt) return { ok: false, error: 'publishedAt: Required.' };
  const publishedAt = parsePublishedAt(data.publishedAt);
  if (!publishedAt) {
    return {
      ok: false,
      error: `publishedAt: "${data.publishedAt}" is not a date (use 2022-04-15T18:52:40+08:00).`,
    };
  }
  const views = data.views === undefined || data.views === '' ? 0 : Number(data.views);
  if (!Number.isSafeInteger(views) || views < 0)
    return { ok: false, error: `views: "${data.views}" is not a count.` };
  const id = data.id ? data.id.toLowerCase() : importIdFor(relativePath);
  if (!isArticleId(id)) return { ok: false, error: `id: "${data.id}" is not 16 hexadecimal characters.` };
  const editor = (data.editor ?? '').trim() || 'admin';

  const article: Article = {
    id,
    status: 'published',
    ...validation.value,
    submittedAt: publishedAt,
    updatedAt: publishedAt,
    publishedAt,
    editor,
    revision: 1,
  };
  return { ok: true, article, views, ignoredKeys };
}

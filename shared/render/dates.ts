// Memoised URL and time formatting for rendering: a rebuild formats the same few thousand instants many times
// (article pages, lists, neighbours, sitemap), and formatToParts is the costly step that remains.
import { articlePath, displayTime } from '../domain/urls.ts';

const LIMIT = 100_000;

function memo(compute: (key: string, ...rest: string[]) => string) {
  const cache = new Map<string, string>();
  return (key: string, ...rest: string[]): string => {
    const k = rest.length > 0 ? `${key}|${rest.join('|')}` : key;
    let value = cache.get(k);
    if (value === undefined) {
      if (cache.size >= LIMIT) cache.clear();
      value = compute(key, ...rest);
      cache.set(k, value);
    }
    return value;
  };
}

const pathFor = memo((id, publishedAt) => articlePath({ id, publishedAt: publishedAt ?? '' }));
/** `/{yyyy}/{mmdd}/{id}.html`, as shared/domain/urls.ts defines it. */
export const pagePath = (a: { id: string; publishedAt: string }): string => pathFor(a.id, a.publishedAt);
/** `2022-04-15 18:52:40` in the site's time zone. */
export const shownTime = memo((iso) => displayTime(iso));

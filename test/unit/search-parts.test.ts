// The search index's parts (shared/search/split-index.ts): a year while it fits one part, else quarters, months,
// days and numbered runs; never more than the bound in a part; and a change re-parts only its own period.
import { describe, expect, it } from 'vitest';
import { searchParts } from '#shared/search/split-index.ts';

/** `count` articles `hours` apart from `start` (UTC), ids in time order. */
const articles = (count: number, start: string, hours: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `a${String(i).padStart(6, '0')}`,
    publishedAt: new Date(Date.parse(start) + i * hours * 3_600_000).toISOString(),
  }));

const shape = (parts: ReturnType<typeof searchParts>) => parts.map((p) => `${p.name}:${p.items.length}`);

describe('search index parts', () => {
  it('keeps a year that fits as one part named by its year, oldest first', () => {
    const parts = searchParts([
      ...articles(3, '2022-03-01T00:00:00Z', 24),
      ...articles(2, '2021-05-01T00:00:00Z', 24),
    ]);
    expect(shape(parts)).toEqual(['2021:2', '2022:3']);
  });

  it('cuts a busy year into quarters, a busy quarter into months, a busy month into days', () => {
    // 2023 (site time): 40 in January (one a day and more), 3 in May. The bound is 10.
    const busy = [...articles(40, '2023-01-01T00:00:00Z', 12), ...articles(3, '2023-05-02T00:00:00Z', 24)];
    const parts = searchParts(busy, 10);
    expect(parts.every((p) => p.items.length <= 10)).toBe(true);
    expect(parts.flatMap((p) => p.items)).toHaveLength(43);
    // Q1 holds 40 (> 10), January 40 (> 10): January's days (two a day); Q2 (3) stays a quarter.
    expect(parts.at(-1)?.name).toBe('2023-q2');
    expect(parts[0]?.name).toBe('2023-01-01');
    expect(parts.map((p) => p.name)).toEqual([...new Set(parts.map((p) => p.name))]);
  });

  it('cuts a day holding more than a part into numbered runs', () => {
    const parts = searchParts(articles(25, '2024-06-10T01:00:00Z', 0.1), 10);
    expect(shape(parts)).toEqual(['2024-06-10-1:10', '2024-06-10-2:10', '2024-06-10-3:5']);
  });

  it('re-parts only the period a change touches', () => {
    const year = articles(60, '2022-01-01T00:00:00Z', 24 * 6);
    const before = searchParts(year, 20);
    // One more article in the last days of the year: only the last quarter's part changes.
    const after = searchParts(
      [...year, ...articles(1, '2022-12-30T00:00:00Z', 1).map((a) => ({ ...a, id: 'z' }))],
      20,
    );
    const changed = after.filter((p) => {
      const old = before.find((b) => b.name === p.name);
      return !old || old.items.length !== p.items.length;
    });
    expect(changed.map((p) => p.name)).toEqual(['2022-q4']);
  });
});

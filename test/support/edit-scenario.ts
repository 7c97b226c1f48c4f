// The edits of a published article that the render benchmark measures and test/unit/edit-pages.test.ts counts
// (issue 21, goal ≤ 8 pages): an article in the middle of its lists gets a public correction of its body, then a new
// title, then a move to another channel (both channels' lists count), each edit starting from the last.
import type { Article } from '../../shared/domain/article.ts';

export const EDIT_AT = '2030-01-02T00:00:00.000Z';
export const EDITED_CHANNEL = 'focus/public-welfare';
export const MOVED_TO = 'law/cases';

/** The article edited: the 60th newest of its channel, three list pages back from the newest. */
export const articleToEdit = (articles: Iterable<Article>): Article => {
  const article = [...articles]
    .filter((a) => a.channel === EDITED_CHANNEL && a.status === 'published')
    .sort(
      (a, b) => Date.parse(a.publishedAt ?? '') - Date.parse(b.publishedAt ?? '') || (a.id < b.id ? -1 : 1),
    )
    .at(-60);
  if (!article) throw new Error(`The corpus needs at least 60 articles in ${EDITED_CHANNEL}.`);
  return article;
};

export interface EditStep {
  readonly name: 'correction' | 'title' | 'channel change';
  readonly before: Article;
  readonly after: Article;
}

/** The three edits in order, each from the state the previous one left. */
export function editSteps(start: Article): EditStep[] {
  const changes: [EditStep['name'], Partial<Article>][] = [
    [
      'correction',
      { body: `${start.body}\n\n更正后的段落。`, corrections: [{ at: EDIT_AT, note: '更正说明。' }] },
    ],
    ['title', { title: `${start.title}(更新)` }],
    ['channel change', { channel: MOVED_TO }],
  ];
  const steps: EditStep[] = [];
  let before = start;
  for (const [name, change] of changes) {
    const after: Article = {
      ...before,
      ...change,
      updatedAt: EDIT_AT,
      modifiedAt: EDIT_AT,
      revision: before.revision + 1,
    };
    steps.push({ name, before, after });
    before = after;
  }
  return steps;
}

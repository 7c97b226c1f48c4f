// Hostile-input cost: pathological Markdown at the 100,000-character body limit, rendered as the article page (what
// render and the editor's preview do). Prints each case, the worst case, and its ratio to the seed article (the
// baseline), so the render and review function timeouts can be set from numbers. `npm run bench:hostile-render`.
import { readFileSync } from 'node:fs';
import type { Article } from '../../shared/domain/article.ts';
import { submissionLimits } from '../../shared/domain/submission.ts';
import { loadSiteAssets } from '../../shared/render/assets.ts';
import { renderBody } from '../../shared/render/markdown.ts';
import { renderArticlePage } from '../../shared/render/pages.ts';
import { seedArticle } from '../support/render-fixtures.ts';

const LIMIT = submissionLimits.body;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
/** The bound a hostile body must render within, on this machine, as a whole article page. */
const BOUND_MS = 1000;

const fill = (unit: string) => unit.repeat(Math.ceil(LIMIT / unit.length)).slice(0, LIMIT);
const seedBody = JSON.parse(
  readFileSync(new URL('../../infra/local/sample/seed-article.json', import.meta.url), 'utf8'),
).body as string;

/** Each case is a body of exactly the limit (the validator refuses longer ones). */
export const hostileBodies: Record<string, string> = {
  'seed article, repeated to the limit': fill(`${seedBody}\n\n`),
  'one CJK line, no breaks': fill('字'),
  'nested quotes >>>>': fill('>'),
  'nested quotes, one per line': Array.from({ length: 5000 }, (_, i) => `${'>'.repeat(i % 200)} x`)
    .join('\n')
    .slice(0, LIMIT),
  'nested lists, indent grows': Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i % 300)}- x`)
    .join('\n')
    .slice(0, LIMIT),
  'nested ordered lists': Array.from({ length: 3000 }, (_, i) => `${'   '.repeat(i % 200)}1. x`)
    .join('\n')
    .slice(0, LIMIT),
  'list markers only': fill('- '),
  'run of *': fill('*'),
  'run of _': fill('_'),
  'alternating *a': fill('*a'),
  'emphasis openers **_': fill('**_'),
  'unclosed emphasis *a **b ***c': fill('*a **b ***c '),
  'run of [': fill('['),
  'run of ]': fill(']'),
  '[ then ]': `${'['.repeat(LIMIT / 2)}${']'.repeat(LIMIT / 2)}`,
  'nested links [[[x](y)': `${'['.repeat(LIMIT / 2 - 10)}x](y)${']'.repeat(LIMIT / 2 - 10)}`,
  'unclosed link starts [x](': fill('[x]('),
  'image starts ![': fill('!['),
  'link destinations ](((': `[x](${'('.repeat(LIMIT - 10)}`,
  'run of backticks': fill('`'),
  'alternating backtick runs': fill('`a``b```c'),
  'run of <': fill('<'),
  'autolink starts <a:': fill('<a:'),
  'run of \\': fill('\\'),
  'run of &': fill('&'),
  'entities &#x41;': fill('&#x41;'),
  'reference definitions': fill('[a]: /u "t"\n'),
  'reference uses': `[a]: /u\n\n${fill('[a][a]')}`.slice(0, LIMIT),
  'table, many columns': `${fill('|a')}\n${fill('|-')}\n${fill('|b')}`.slice(0, LIMIT),
  'table, many rows': `|a|b|\n|-|-|\n${fill('|x|y|\n')}`.slice(0, LIMIT),
  'headings ######': fill('###### x\n'),
  'setext underlines': fill('x\n===\n'),
  'fences opening': fill('```\n'),
  'indented code': fill('    x\n'),
  'blank lines': fill('\n'),
  'hard breaks': fill('x  \n'),
  'html-looking tags': fill('<div><span onclick=x>'),
  'mixed pathological': fill('> - *[`<&\\!['),
};

const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };
const article = (body: string): Article & { publishedAt: string } => ({
  ...seedArticle,
  publishedAt: seedArticle.publishedAt ?? '',
  body,
});

function time(body: string): { pageMs: number; bodyMs: number; htmlBytes: number } {
  let pageMs = Number.POSITIVE_INFINITY;
  let bodyMs = Number.POSITIVE_INFINITY;
  let htmlBytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    renderBody(body);
    bodyMs = Math.min(bodyMs, performance.now() - start);
    start = performance.now();
    htmlBytes = renderArticlePage(context, { article: article(body), views: 0 }).length;
    pageMs = Math.min(pageMs, performance.now() - start);
  }
  return { pageMs, bodyMs, htmlBytes };
}

// Warm the JIT on the baseline so the first case does not pay for it.
for (let i = 0; i < 3; i++) renderArticlePage(context, { article: seedArticle as never, views: 0 });
const baseline = time(seedBody);
console.log(
  `baseline: the seed article (${seedBody.length} chars) renders as a page in ${baseline.pageMs.toFixed(2)} ms`,
);
console.log(`best of ${ROUNDS} rounds per case, bodies of ${LIMIT.toLocaleString('en')} characters:\n`);
const rows = Object.entries(hostileBodies).map(([name, body]) => ({
  name,
  chars: body.length,
  ...time(body),
}));
rows.sort((a, b) => b.pageMs - a.pageMs);
for (const row of rows) {
  console.log(
    `${row.pageMs.toFixed(1).padStart(8)} ms page  ${row.bodyMs.toFixed(1).padStart(8)} ms body  ${(row.htmlBytes / 1024).toFixed(0).padStart(6)} KiB  ${row.name}`,
  );
}
const worst = rows[0];
if (worst) {
  console.log(
    `\nworst case: "${worst.name}" ${worst.pageMs.toFixed(1)} ms for one page (${(worst.pageMs / baseline.pageMs).toFixed(0)}× the seed article), bound ${BOUND_MS} ms`,
  );
  if (worst.pageMs > BOUND_MS) {
    console.log('✗ over the bound');
    process.exitCode = 1;
  } else {
    console.log('✓ every hostile body renders within the bound');
  }
}

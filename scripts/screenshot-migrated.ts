// `npx tsx scripts/screenshot-migrated.ts`: imports the DedeCMS fixture into a throwaway local runtime and takes
// screenshots of two migrated articles (a table and a processed photo; a table and a missing photo's caption) at
// 390 and 1280 wide into screenshots/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { importSource, sourceFor } from '../infra/ops/import.ts';
import { articlePath } from '../shared/domain/urls.ts';
import { dedecmsArticleId } from '../shared/site-paths.ts';
import { launchBrowser, watchPage } from '../test/support/browser.ts';
import { startTestRuntime } from '../test/support/runtime.ts';

const fixtures = path.resolve(import.meta.dirname, '../test/fixtures/migration/dedecms');
const rt = await startTestRuntime();
process.env.DATA_DIR = rt.dataDir;
const source = () =>
  sourceFor(
    'dedecms',
    path.join(fixtures, 'export'),
    new Map([['channels', path.join(fixtures, 'channels.json')]]),
  );
await importSource(source(), { media: path.join(fixtures, 'uploads') });
const published = new Map(
  [...source().entries].flatMap((e) =>
    e.kind === 'article' ? [[e.article.ref, e.article.data.publishedAt ?? '']] : [],
  ),
);

mkdirSync('screenshots', { recursive: true });
const browser = await launchBrowser();
for (const width of [390, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const watch = watchPage(page);
  for (const aid of ['127', '102']) {
    await page.goto(
      `${rt.url}${articlePath({ id: dedecmsArticleId(aid), publishedAt: published.get(`aid ${aid}`) ?? '' })}`,
    );
    const file = `screenshots/migrated-dedecms-${aid}-${width}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
  if (watch.problems.length > 0) console.log('problems:', watch.problems);
  await page.close();
}
await browser.close();
await rt.dispose();

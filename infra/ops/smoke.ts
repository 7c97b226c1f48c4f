// `npm run smoke [-- --stage name | --url http://…] [--editor-token token]`: checks a site from the outside, as a
// reader, a contributor and the editor desk see it. With --stage it finds the site through the stage's stack
// outputs; without, it checks the local runtime (DATA_DIR's runtime.json, else PORT, or --url). One line per check;
// the exit code is 1 when any check fails. The same checks run against the local runtime in test/ops/smoke.test.ts.
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicyConnecting, securityHeaderEntries } from '../../shared/headers.ts';
import { labels } from '../../shared/labels.ts';
import { siteConfig } from '../../shared/site-config.ts';
import { readRuntimeFile } from '../local/connect.ts';
import { parseStage, stageOutputs } from './target.ts';

export interface SmokeTarget {
  /** The site's origin, e.g. `https://d111111abcdef8.cloudfront.net` or `http://127.0.0.1:3000`. */
  readonly siteUrl: string;
  readonly description: string;
  /** Deployed sites answer over HTTPS, with HSTS and `upgrade-insecure-requests`; the local gateway does not. */
  readonly https: boolean;
  /** Extra CSP connect-src origins of the deployed policy (the editors' managed login). */
  readonly connectOrigins: readonly string[];
  /** What `/admin/config.json` must say: the managed login in AWS, `{}` locally. */
  readonly editorLogin?: { readonly domain: string; readonly clientId: string };
  /** An editor's bearer token: with it, the smoke submission is rejected again at once (see README, Ops). */
  readonly editorToken?: string;
}

export interface SmokeResult {
  readonly name: string;
  readonly outcome: 'pass' | 'fail' | 'skip';
  /** One line: what was seen, or what is wrong. */
  readonly detail: string;
}

/** A check's failure: its message is the one line printed for it. */
class SmokeFailure extends Error {}
const fail = (message: string): never => {
  throw new SmokeFailure(message);
};

/** Not a robot by the views function's rules (shared/domain/views.ts), so the smoke view is counted. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) newsroom-smoke-check/1';
const ARTICLE_PATH = /^\/\d{4}\/\d{4}\/([0-9a-f]{16})\.html$/;
/** The smoke submission says what it is in its title, so an editor who sees it in the queue knows to reject it. */
export const SMOKE_TITLE_PREFIX = '[冒烟测试 smoke test] ';

interface Fetched {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export async function runSmokeChecks(
  target: SmokeTarget,
  report: (result: SmokeResult) => void = () => undefined,
): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  const base = target.siteUrl.replace(/\/+$/, '');
  /** Once the site does not answer at all, the remaining checks are skipped rather than failed one by one. */
  let unreachable = false;

  const get = async (
    pathname: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Fetched> => {
    let response: Response;
    try {
      response = await fetch(`${base}${pathname}`, {
        redirect: 'manual',
        signal: AbortSignal.timeout(15_000),
        ...init,
        headers: { 'user-agent': USER_AGENT, ...init.headers },
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      unreachable = true;
      return fail(
        `${init.method ?? 'GET'} ${pathname}: no answer from ${base} (${cause?.code ?? cause?.message ?? (error as Error).message})`,
      );
    }
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const expectStatus = (page: Fetched, pathname: string, status: number) => {
    if (page.status !== status)
      fail(
        `${pathname} answered ${page.status}, expected ${status}: ${page.text.slice(0, 120).replace(/\s+/g, ' ')}`,
      );
  };
  const expectType = (page: Fetched, pathname: string, type: RegExp) => {
    const contentType = page.headers.get('content-type') ?? '';
    if (!type.test(contentType)) fail(`${pathname} is ${contentType || 'untyped'}, expected ${type.source}`);
  };
  const html = async (pathname: string, status = 200) => {
    const page = await get(pathname);
    expectStatus(page, pathname, status);
    expectType(page, pathname, /^text\/html/);
    if (!/<html lang="[^"]+"/.test(page.text))
      fail(`${pathname} is not one of the site's pages (no <html lang>)`);
    return page;
  };

  const expectedHeaders = {
    ...securityHeaderEntries({ https: target.https }),
    ...(target.https
      ? { 'content-security-policy': contentSecurityPolicyConnecting(target.connectOrigins) }
      : {}),
  };
  const checkHeaders = (page: Fetched, what: string) => {
    for (const [name, value] of Object.entries(expectedHeaders)) {
      const actual = page.headers.get(name);
      if (actual !== value)
        fail(`${what}: ${name} is ${actual === null ? 'missing' : `"${actual}"`}, expected "${value}"`);
    }
    const csp = page.headers.get('content-security-policy') ?? '';
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    if (/'unsafe-inline'|'unsafe-eval'/.test(scriptSrc))
      fail(`${what}: the CSP allows inline script (${scriptSrc})`);
    if (!/(?:^|;)\s*frame-ancestors 'none'/.test(csp)) fail(`${what}: the CSP lacks frame-ancestors 'none'`);
  };

  const check = async (name: string, run: () => Promise<string | { skip: string }>) => {
    let result: SmokeResult;
    if (unreachable) {
      result = { name, outcome: 'skip', detail: `${base} did not answer` };
      results.push(result);
      report(result);
      return;
    }
    try {
      const detail = await run();
      result =
        typeof detail === 'string'
          ? { name, outcome: 'pass', detail }
          : { name, outcome: 'skip', detail: detail.skip };
    } catch (error) {
      const message =
        error instanceof SmokeFailure ? error.message : `unexpected error: ${(error as Error).message}`;
      result = { name, outcome: 'fail', detail: message };
    }
    results.push(result);
    report(result);
  };

  let home: Fetched | undefined;
  await check('home page', async () => {
    home = await html('/');
    return `200, ${home.text.length} characters`;
  });

  const articles: string[] = [];
  const channels: string[] = [];
  await check('sitemap', async () => {
    // /sitemap.xml is an index: the list pages' child first, then one child per month, oldest first, then news.
    const index = await get('/sitemap.xml');
    expectStatus(index, '/sitemap.xml', 200);
    expectType(index, '/sitemap.xml', /xml/);
    if (!index.text.includes('<sitemapindex')) fail('/sitemap.xml is not a sitemap index');
    const children = [...index.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map(
      ([, loc]) => new URL(loc ?? '/', base).pathname,
    );
    const months = children.filter((c) => /\/sitemaps\/\d{4}-\d{2}(-\d+)?\.xml$/.test(c));
    const wanted = [children.find((c) => c.endsWith('/pages.xml')), months.at(-1)];
    for (const child of wanted) {
      if (!child) continue;
      const part = await get(child);
      expectStatus(part, child, 200);
      expectType(part, child, /xml/);
      for (const [, loc] of part.text.matchAll(/<loc>([^<]+)<\/loc>/g)) {
        const pathname = new URL(loc ?? '/', base).pathname;
        if (ARTICLE_PATH.test(pathname)) articles.unshift(pathname);
        else if (pathname !== '/') channels.push(pathname);
      }
    }
    return `${children.length} children; newest month: ${articles.length} articles; ${channels.length} channel pages`;
  });

  await check('robots.txt', async () => {
    const robots = await get('/robots.txt');
    expectStatus(robots, '/robots.txt', 200);
    if (!/^Sitemap: \S+\/sitemap\.xml$/m.test(robots.text)) fail('/robots.txt names no sitemap');
    return 'names /sitemap.xml';
  });

  await check('feed', async () => {
    const feed = await get('/feed.xml');
    expectStatus(feed, '/feed.xml', 200);
    expectType(feed, '/feed.xml', /xml/);
    if (!feed.text.includes('<rss')) fail('/feed.xml is not an RSS feed');
    return `${(feed.text.match(/<item>/g) ?? []).length} items`;
  });

  const article = articles[0];
  await check('article page', async () => {
    if (!article) return { skip: 'the sitemap lists no published article yet' };
    const page = await html(article);
    const id = ARTICLE_PATH.exec(article)?.[1] ?? '';
    if (!page.text.includes(`data-views-for="${id}"`)) fail(`${article} has no view count for its article`);
    return article;
  });

  await check('channel page', async () => {
    const channel = channels[0];
    if (!channel) return { skip: 'the sitemap lists no channel page' };
    await html(channel);
    return channel;
  });

  await check('submit page', async () => {
    const page = await html('/submit/');
    if (!page.text.includes('<form')) fail('/submit/ has no form');
    return '/submit/';
  });

  await check('editor desk', async () => {
    await html('/admin/');
    return '/admin/';
  });

  await check('editor config', async () => {
    const config = await get('/admin/config.json');
    expectStatus(config, '/admin/config.json', 200);
    expectType(config, '/admin/config.json', /json/);
    let parsed: { login?: { domain?: string; clientId?: string } };
    try {
      parsed = JSON.parse(config.text) as typeof parsed;
    } catch {
      return fail('/admin/config.json is not JSON');
    }
    const expected = target.editorLogin;
    if (!expected) {
      if (parsed.login)
        fail('/admin/config.json names a managed login; the local desk signs in with a token');
      return 'token sign-in (local)';
    }
    if (parsed.login?.domain !== expected.domain || parsed.login?.clientId !== expected.clientId)
      fail(
        `/admin/config.json names ${JSON.stringify(parsed.login ?? null)}, expected ${JSON.stringify(expected)}`,
      );
    return `managed login ${expected.domain}`;
  });

  const missing = `/smoke-check-${randomBytes(6).toString('hex')}.html`;
  let notFound: Fetched | undefined;
  await check('404 page', async () => {
    notFound = await html(missing, 404);
    const title = labels[siteConfig.defaultLocale].notFoundTitle;
    if (!notFound.text.includes(title)) fail(`the 404 page does not say "${title}"`);
    return `${missing} → 404`;
  });

  let submissionId: string | undefined;
  let submission: Fetched | undefined;
  await check('submission', async () => {
    submission = await get('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomBytes(16).toString('hex') },
      body: JSON.stringify({
        title: `${SMOKE_TITLE_PREFIX}${new Date().toISOString()}`,
        body: '这是部署后的冒烟测试自动发送的稿件，请退稿。\n\nSent by `npm run smoke` after a deploy: please reject it.',
        author: '',
        channel: siteConfig.channels[0]?.slug ?? '',
      }),
    });
    expectStatus(submission, 'POST /api/submissions', 201);
    const answer = JSON.parse(submission.text) as { id?: string; status?: string };
    if (!answer.id || answer.status !== 'pending') fail(`POST /api/submissions answered ${submission.text}`);
    submissionId = answer.id;
    return `201, pending ${answer.id}`;
  });

  await check('smoke submission rejected', async () => {
    if (!submissionId) return { skip: 'no submission to reject' };
    if (!target.editorToken)
      return { skip: `no editor token: ${submissionId} stays in the pending queue for an editor to reject` };
    const path = `/api/admin/submissions/${submissionId}/reject`;
    const rejected = await get(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.editorToken}` },
      body: JSON.stringify({ reason: 'Smoke test submission (npm run smoke).' }),
    });
    expectStatus(rejected, `POST ${path}`, 200);
    return `${submissionId} rejected`;
  });

  await check('view count', async () => {
    const id = article ? ARTICLE_PATH.exec(article)?.[1] : undefined;
    if (!id) return { skip: 'no published article to count a view for' };
    const counted = await get(`/api/views/${id}`, {
      method: 'POST',
      headers: { 'x-view-id': randomBytes(16).toString('base64url') },
    });
    expectStatus(counted, `POST /api/views/${id}`, 200);
    const views = (JSON.parse(counted.text) as { views?: number }).views ?? 0;
    // CloudFront may hold GET /api/views for 5 s (cacheControl.shortRead): look again until the view shows.
    const until = Date.now() + 12_000;
    for (;;) {
      const read = await get(`/api/views?ids=${id}`);
      expectStatus(read, '/api/views', 200);
      const shown = (JSON.parse(read.text) as { views?: Record<string, number> }).views?.[id] ?? 0;
      if (shown >= views) return `${id}: ${views} views`;
      if (Date.now() > until)
        return fail(`GET /api/views shows ${shown} views of ${id}; POST answered ${views}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });

  await check('security headers', async () => {
    const seen: [Fetched | undefined, string][] = [
      [home, 'home page'],
      [notFound, '404 page'],
      [submission, 'API answer'],
    ];
    const checked = seen.filter(([page]) => page !== undefined);
    if (checked.length === 0) fail('no page answered to look at its headers');
    for (const [page, what] of checked) if (page) checkHeaders(page, what);
    return `CSP, ${target.https ? 'HSTS, ' : ''}nosniff, frame-ancestors on ${checked.map(([, w]) => w).join(', ')}`;
  });

  return results;
}

/** The site to check: a stage's stack outputs, an explicit URL, or the local runtime of DATA_DIR (else PORT). */
export async function resolveSmokeTarget(args: string[], env = process.env): Promise<SmokeTarget> {
  const { stage, rest } = parseStage(args);
  let url: string | undefined;
  let editorToken = env.EDITOR_TOKEN || undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const value = (name: string) => (arg.startsWith(`${name}=`) ? arg.slice(name.length + 1) : rest[++i]);
    if (arg === '--url' || arg.startsWith('--url=')) url = value('--url');
    else if (arg === '--editor-token' || arg.startsWith('--editor-token='))
      editorToken = value('--editor-token');
    else
      throw new Error(
        `unknown argument ${arg}; usage: npm run smoke -- [--stage name | --url URL] [--editor-token token]`,
      );
  }
  const token = editorToken ? { editorToken } : {};
  if (stage) {
    if (url) throw new Error('give either --stage or --url, not both.');
    const { site } = await stageOutputs(stage);
    if (!site.SiteUrl) throw new Error(`stage "${stage}" has no SiteUrl output; deploy it first.`);
    return {
      siteUrl: site.SiteUrl,
      description: `stage ${stage} (${site.SiteUrl})`,
      https: true,
      connectOrigins: site.EditorLoginDomain ? [site.EditorLoginDomain] : [],
      ...(site.EditorLoginDomain && site.EditorClientId
        ? { editorLogin: { domain: site.EditorLoginDomain, clientId: site.EditorClientId } }
        : {}),
      ...token,
    };
  }
  if (!url) {
    const dataDir = env.DATA_DIR ?? '.data';
    url = readRuntimeFile(dataDir).url ?? (env.PORT ? `http://127.0.0.1:${env.PORT}` : undefined);
    if (!url)
      throw new Error(
        `no local runtime found in ${dataDir}; start one with \`npm start\` (same DATA_DIR), or pass --url or --stage.`,
      );
  }
  if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`--url needs an http(s) address (got "${url}").`);
  return { siteUrl: url, description: url, https: url.startsWith('https:'), connectOrigins: [], ...token };
}

async function main(): Promise<void> {
  const target = await resolveSmokeTarget(process.argv.slice(2));
  console.log(`smoke → ${target.description}`);
  const mark = { pass: '✓', fail: '✗', skip: '-' } as const;
  const results = await runSmokeChecks(target, (r) =>
    console.log(`${mark[r.outcome]} ${r.name.padEnd(26)} ${r.detail}`),
  );
  const failed = results.filter((r) => r.outcome === 'fail');
  const skipped = results.filter((r) => r.outcome === 'skip').length;
  console.log(
    `smoke: ${results.length - failed.length - skipped} passed, ${failed.length} failed, ${skipped} skipped`,
  );
  if (failed.length > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}

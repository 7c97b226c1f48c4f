// The browser side of the XSS tests: traps installed before any page script, a DOM audit for markup that should not
// exist, and a page that collects dialogs, console errors, CSP reports and failed loads. Shared by the submission
// corpus test (test/security/xss.test.ts) and the HTML import test (test/security/xss-import.test.ts).
import type { Browser, Page } from 'playwright-core';

/** Runs before any script of every document: traps every way a payload could show it ran, and records CSP reports. */
export function installTraps(): void {
  const w = window as unknown as Record<string, unknown>;
  const runs: string[] = [];
  const violations: string[] = [];
  w.__xssRuns = runs;
  w.__cspViolations = violations;
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'xss']) {
    w[name] = (...args: unknown[]) => {
      runs.push(`${name}(${String(args[0])})`);
    };
  }
  document.addEventListener(
    'securitypolicyviolation',
    (e) => violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    true,
  );
}

export interface PageAudit {
  readonly runs: string[];
  readonly violations: string[];
  /** Markup that should not exist on a page built from escaped text. */
  readonly markup: string[];
  readonly h1: string | null;
  readonly headline: string | undefined;
}

/** Reads the traps back and audits the DOM. Runs in the page. */
export async function auditPage(): Promise<PageAudit> {
  // Error events of broken images and CSP reports are queued tasks: let them run first.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const w = window as unknown as { __xssRuns?: string[]; __cspViolations?: string[] };
  const markup: string[] = [];
  const BODY_TAGS = new Set(
    'p h1 h2 h3 h4 h5 h6 blockquote ul ol li a img em strong code pre hr br table thead tbody tr th td s'.split(
      ' ',
    ),
  );
  const DANGEROUS_URL = /^[\s\p{Cc}]*(?:javascript|vbscript|data):/iu;
  for (const el of Array.from(document.querySelectorAll('*'))) {
    const tag = el.localName;
    for (const attr of Array.from(el.attributes)) {
      if (attr.name.startsWith('on')) markup.push(`<${tag} ${attr.name}>`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(attr.name)) {
        const iconPlaceholder =
          tag === 'link' && el.getAttribute('rel') === 'icon' && attr.value === 'data:,';
        if (DANGEROUS_URL.test(attr.value) && !iconPlaceholder)
          markup.push(`<${tag} ${attr.name}=${attr.value}>`);
      }
    }
    if (['iframe', 'frame', 'object', 'embed', 'base', 'style', 'svg', 'math', 'template'].includes(tag))
      markup.push(`<${tag}>`);
    if (tag === 'meta' && el.hasAttribute('http-equiv')) markup.push('<meta http-equiv>');
    if (tag === 'script') {
      const src = el.getAttribute('src');
      const ok = src
        ? new URL(src, location.href).origin === location.origin
        : el.getAttribute('type') === 'application/ld+json';
      if (!ok) markup.push(`<script src=${src}>`);
    }
    if (el.closest('.article-body') && el.parentElement?.closest('.article-body') && !BODY_TAGS.has(tag))
      markup.push(`body <${tag}>`);
  }
  let headline: string | undefined;
  const ld = document.querySelector('script[type="application/ld+json"]');
  if (ld) headline = (JSON.parse(ld.textContent ?? '{}') as { headline?: string }).headline;
  return {
    runs: w.__xssRuns ?? ['trap missing'],
    violations: w.__cspViolations ?? ['trap missing'],
    markup,
    h1: document.querySelector('h1')?.textContent ?? null,
    headline,
  };
}

export interface Watched {
  readonly page: Page;
  /** Dialogs and console errors/CSP messages since the last drain. */
  drain(): string[];
}

export async function watchedPage(
  browser: Browser,
  extraHeaders: Record<string, string> = {},
): Promise<Watched> {
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders(extraHeaders);
  await page.addInitScript(installTraps);
  let seen: string[] = [];
  page.on('dialog', (dialog) => {
    seen.push(`dialog ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    // Failed loads are reported with their URL below; everything else Chromium complains about counts.
    if (message.text().startsWith('Failed to load resource')) return;
    if (message.type() === 'error' || /Refused to/.test(message.text()))
      seen.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    // A Markdown image may name a same-origin picture that does not exist: a 404, not code.
    const missingPicture = response.status() === 404 && /\.png$/.test(url.pathname);
    if (response.status() >= 400 && !missingPicture) seen.push(`http ${response.status()} ${url.pathname}`);
  });
  page.on('requestfailed', (request) => {
    // Cut short when the test moves on to the next page (or closes this one): the page's own view count, and a lazy
    // Markdown image (loading="lazy" does not hold the load event) of a same-origin picture, which is at most a 404.
    const aborted = request.failure()?.errorText === 'net::ERR_ABORTED';
    const lazyPicture = request.resourceType() === 'image' && /\.png$/.test(new URL(request.url()).pathname);
    const cutShort = aborted && (request.url().includes('/api/views/') || lazyPicture);
    if (!cutShort) seen.push(`failed ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('pageerror', (error) => seen.push(`pageerror: ${error.message}`));
  return {
    page,
    drain: () => {
      const out = seen;
      seen = [];
      return out;
    },
  };
}

/** Loads a URL and returns every sign of injected code; empty means clean. */
export async function visit(
  watched: Watched,
  url: string,
): Promise<{ problems: string[]; audit: PageAudit }> {
  const response = await watched.page.goto(url, { waitUntil: 'load' });
  const audit = await watched.page.evaluate(auditPage);
  const problems = [
    ...(response?.status() === 200 ? [] : [`http ${response?.status()}`]),
    ...audit.runs.map((r) => `ran ${r}`),
    ...audit.violations.map((v) => `csp ${v}`),
    ...audit.markup.map((m) => `markup ${m}`),
    ...watched.drain(),
  ];
  return { problems, audit };
}

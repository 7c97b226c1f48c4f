// Property-based fuzzing (fast-check) of the two places strangers' text enters: validation (directly and through
// the submit handler, against dynalite) and rendering (the Markdown renderer and the whole article page, parsed
// back with html-validate's HTML parser and held to an allowlist of elements and attributes).
// FUZZ_SCALE=10 npx vitest run test/security/fuzz.test.ts runs ten times as many cases.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { Config, type HtmlElement, Parser } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler, submit } from '#functions/submit/handler.ts';
import type { Article } from '#shared/domain/article.ts';
import { submissionLimits, validateSubmission } from '#shared/domain/submission.ts';
import { mediaKey, quarantineKey, type UploadRecord, widthsFor } from '#shared/domain/uploads.ts';
import { toHttpError } from '#shared/http/errors.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import { renderBody } from '#shared/render/markdown.ts';
import { renderArticlePage } from '#shared/render/pages.ts';
import { lambdaContext, loadApiEvent } from '../support/events.ts';
import { seedArticle } from '../support/render-fixtures.ts';
import { resetTables } from '../support/tables.ts';

const scale = Number(process.env.FUZZ_SCALE ?? 1) || 1;
const runs = (n: number) => ({ numRuns: Math.round(n * scale) });
const casesRun: Record<string, number> = {};
const count = (property: string) => {
  casesRun[property] = (casesRun[property] ?? 0) + 1;
};

let parser: Parser;
beforeAll(async () => {
  parser = new Parser(await Config.defaultConfig().resolve());
});
afterAll(async () => {
  const total = Object.values(casesRun).reduce((a, b) => a + b, 0);
  console.log(`fuzz: ${total} cases run (${JSON.stringify(casesRun)})`);
  await resetTables();
});

// ---- generators --------------------------------------------------------------------------------------------------

/** Pieces of Markdown, HTML and URL syntax, mixed with arbitrary text: far more likely to hit a parser's corners. */
const hostileFragment = fc.oneof(
  fc.constantFrom(
    '<',
    '>',
    '</',
    '/>',
    '[',
    ']',
    '(',
    ')',
    '![',
    '](',
    '*',
    '**',
    '_',
    '__',
    '`',
    '```',
    '~~',
    '\n',
    '\n\n',
    '# ',
    '## ',
    '> ',
    '- ',
    '1. ',
    '|',
    '|---|',
    '\\',
    '"',
    "'",
    '&',
    '&#',
    ';',
    '&lt;',
    '&#x3C;',
    '&#106;',
    'javascript:',
    'JaVaScRiPt:',
    'data:text/html,',
    'vbscript:',
    '//evil.example/',
    '/\\evil.example',
    'http://',
    'mailto:',
    '<script>',
    '</script>',
    '<img src=x onerror=alert(1)>',
    'onerror=',
    'onload=',
    '<svg>',
    '<a href=',
    '<iframe>',
    '<style>',
    'style=',
    '=',
    ' ',
    '\t',
    '\u0000',
    '\u202e',
    '\u200b',
    '\u2028',
    '\ufeff',
    'e\u0301',
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '[r]: ',
    'x',
    '字',
    '    ',
  ),
  fc.string({ maxLength: 12, unit: 'grapheme' }),
  fc.string({ maxLength: 6, unit: 'binary' }),
);
const hostileText = (maxPieces: number) =>
  fc.array(hostileFragment, { maxLength: maxPieces }).map((pieces) => pieces.join(''));

const channel = fc.constantFrom(
  'news/politics',
  'focus/public-welfare',
  'opinion',
  'nowhere',
  '',
  '../../etc',
);

/** Submission-shaped JSON with hostile or wrongly typed fields, sometimes extra ones. */
const submissionLike = fc.record(
  {
    title: fc.oneof(hostileText(20), fc.string({ maxLength: 260 }), fc.anything()),
    body: fc.oneof(hostileText(60), fc.anything()),
    author: fc.oneof(hostileText(10), fc.constant(''), fc.anything()),
    source: fc.oneof(hostileText(10), fc.anything()),
    summary: fc.oneof(hostileText(20), fc.anything()),
    channel: fc.oneof(channel, fc.anything()),
    contact: fc.oneof(
      fc.record(
        { name: hostileText(5), email: fc.oneof(fc.emailAddress(), hostileText(5)) },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
    images: fc.oneof(
      fc.array(
        fc.record({ key: fc.oneof(fc.uuid().map(quarantineKey), fc.string()), caption: hostileText(5) }),
      ),
      fc.anything(),
    ),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

// ---- validation --------------------------------------------------------------------------------------------------

describe('validation under fuzzing', () => {
  it('never throws, and what it accepts is within the contract', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), submissionLike), (input) => {
        count('validateSubmission');
        const result = validateSubmission(input);
        if (!result.ok) {
          expect(Object.keys(result.fields).length).toBeGreaterThan(0);
          return;
        }
        const { value } = result;
        expect([...value.title].length).toBeLessThanOrEqual(submissionLimits.title);
        expect(value.title).not.toBe('');
        expect([...value.body].length).toBeLessThanOrEqual(submissionLimits.body);
        for (const text of [value.title, value.author, value.source, value.channel])
          expect(text).not.toMatch(/[\p{Cc}]/u);
        expect(value.title.normalize('NFC')).toBe(value.title);
      }),
      runs(3000),
    );
  });

  const event = (body: string | undefined, contentType: string, base64: boolean, key?: string) => {
    const template = loadApiEvent('submit/seed-article.json');
    return {
      ...template,
      headers: {
        ...template.headers,
        'content-type': contentType,
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      ...(body === undefined ? { body: undefined } : { body }),
      isBase64Encoded: base64,
    } as APIGatewayProxyEventV2;
  };
  const anyBody = fc.oneof(
    submissionLike.map((s) => JSON.stringify(s) ?? ''),
    fc.json(),
    fc.string({ maxLength: 200, unit: 'binary' }),
    fc.constant(undefined),
    // Own __proto__/constructor keys, as JSON.parse creates them: refused as unknown fields, nothing polluted.
    fc.constantFrom(
      '{"__proto__":{"polluted":1},"title":"t","body":"b","author":"","channel":"opinion"}',
      '{"constructor":{"prototype":{"polluted":1}},"title":"t","body":"b","author":"","channel":"opinion"}',
      '{"title":"t","body":"b","author":"","channel":"opinion","contact":{"__proto__":{"polluted":1}}}',
    ),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    '',
    'application/x-www-form-urlencoded',
  );
  const idempotencyKey = fc.option(fc.oneof(fc.uuid(), hostileText(4)), { nil: undefined });

  it('the submit function answers 201 or throws an error that maps to a 4xx, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, contentType, fc.boolean(), idempotencyKey, async (body, type, b64, key) => {
        count('submit');
        const payload = b64 && body !== undefined ? Buffer.from(body).toString('base64') : body;
        try {
          const result = await submit(event(payload, type, b64, key));
          expect(result.statusCode).toBe(201);
        } catch (error) {
          const status = toHttpError(error)?.statusCode ?? 500;
          expect(status >= 400 && status < 500, `status ${status}`).toBe(true);
        }
      }),
      runs(300),
    );
  });

  it('the deployed handler never answers 5xx and never shows internals', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, contentType, fc.boolean(), idempotencyKey, async (body, type, b64, key) => {
        count('submit handler');
        const result = await handler(event(body, type, b64, key), lambdaContext('submit'));
        expect(result.statusCode).toBeLessThan(500);
        const json = JSON.parse(result.body ?? 'null') as { error?: { code: string; message: string } };
        if (result.statusCode >= 400) expect(json.error?.code).toMatch(/^[a-z_]+$/);
        expect(result.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
        expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      }),
      runs(150),
    );
  });
});

// ---- rendering ---------------------------------------------------------------------------------------------------

/** Elements and attributes the Markdown renderer may produce, and nothing else. */
const BODY_ALLOWLIST: Record<string, readonly string[]> = {
  p: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: [],
  a: ['href', 'rel', 'title'],
  img: ['src', 'alt', 'title', 'loading', 'decoding', 'srcset', 'sizes', 'width', 'height', 'fetchpriority'],
  picture: ['class'],
  source: ['type', 'srcset', 'sizes'],
  figure: ['class'],
  figcaption: [],
  code: ['class'],
  pre: [],
  hr: [],
  br: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['style'],
  td: ['style'],
  strong: [],
  em: [],
  s: [],
};

/** The article page: the template's own elements plus the body's. */
const PAGE_ALLOWLIST: Record<string, readonly string[]> = {
  ...BODY_ALLOWLIST,
  html: ['lang'],
  head: [],
  body: [],
  meta: ['charset', 'name', 'content', 'property'],
  title: [],
  link: ['rel', 'href', 'type', 'title'],
  script: ['src', 'defer', 'type'],
  header: ['class'],
  footer: ['class'],
  main: ['id', 'tabindex'],
  nav: ['class', 'aria-label'],
  article: ['class', 'aria-labelledby'],
  section: ['class', 'aria-labelledby', 'id'],
  div: ['class', 'id', 'role', 'aria-label'],
  span: ['class', 'data-views-for'],
  time: ['datetime'],
  a: ['href', 'rel', 'title', 'class', 'aria-current', 'id', 'aria-label'],
  h1: ['id'],
  h2: ['id', 'tabindex'],
  p: ['class'],
  ul: ['class'],
  li: ['class', 'id'],
  // The header's search box (fixed layout markup, a GET form to /search/; no article text reaches it).
  form: ['class', 'role', 'action', 'method'],
  label: ['class', 'for'],
  input: ['id', 'type', 'name', 'placeholder', 'enterkeyhint', 'maxlength'],
  button: ['type'],
};

const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'data', 'poster']);
/** The only character references the escapers write; any other one in an attribute could hide a scheme. */
const OWN_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decodeOwn = (value: string) => value.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => OWN_ENTITIES[e] ?? e);
const FOREIGN_ENTITY = /&(?!(?:amp|lt|gt|quot|#39);)[#a-z0-9]+;?/i;
/**
 * As a browser reads a URL: leading C0 controls and spaces go, tabs and newlines anywhere go; then it has a scheme
 * only if it starts with a letter followed by letters, digits, + - . and a colon. Only http(s) and mailto pass.
 */
const isSafeUrl = (raw: string): boolean => {
  const url = raw.replace(/^[\p{Cc} ]+/u, '').replace(/[\t\n\r]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'mailto';
};

/** The layout's empty favicon is the one data: URL a page may carry. */
const isIconPlaceholder = (el: HtmlElement, value: string) =>
  el.tagName === 'link' && el.getAttributeValue('rel') === 'icon' && value === 'data:,';

function violations(html: string, allowlist: Record<string, readonly string[]>): string[] {
  const found: string[] = [];
  const root = parser.parseHtml(html);
  for (const el of root.querySelectorAll('*')) {
    const allowed = allowlist[el.tagName];
    if (!allowed) {
      found.push(`<${el.tagName}>`);
      continue;
    }
    for (const attr of el.attributes) {
      if (!allowed.includes(attr.key)) found.push(`<${el.tagName} ${attr.key}>`);
      const raw = typeof attr.value === 'string' ? attr.value : '';
      if (FOREIGN_ENTITY.test(raw)) found.push(`<${el.tagName} ${attr.key}="${raw}"> has a foreign entity`);
      const value = decodeOwn(raw);
      if (URL_ATTRIBUTES.has(attr.key) && !isIconPlaceholder(el, value)) {
        const urls =
          attr.key === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
        for (const url of urls) if (!isSafeUrl(url)) found.push(`<${el.tagName} ${attr.key}="${url}">`);
      }
      if (attr.key === 'style' && !/^text-align:(left|right|center)$/.test(value))
        found.push(`<${el.tagName} style="${value}">`);
    }
    if (el.tagName === 'img') {
      const src = decodeOwn(el.getAttributeValue('src') ?? '').replace(/^[\p{Cc} ]+/u, '');
      // Pictures come from this site only: no scheme, no protocol-relative host.
      if (/^[a-z][a-z0-9+.-]*:|^\/\/|^\/\\/i.test(src)) found.push(`<img src="${src}"> is not local`);
    }
  }
  return found;
}

const photoId = '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
const readyPhoto: UploadRecord = {
  uploadId: photoId,
  state: 'ready',
  width: 1200,
  height: 800,
  variants: widthsFor(1200).map((w) => ({
    width: w,
    height: Math.round((800 * w) / 1200),
    webp: mediaKey(photoId, w, 'webp'),
    jpeg: mediaKey(photoId, w, 'jpeg'),
  })),
  processedAt: '2026-11-28T05:21:09.000Z',
};

describe('rendering under fuzzing', () => {
  it('has an allowlist check that does catch markup (control)', () => {
    expect(
      violations(
        '<p onclick="x"><script>1</script><a href="javascript:1">a</a><img src="//e.x/p.png">',
        BODY_ALLOWLIST,
      ),
    ).toEqual(['<p onclick>', '<script>', '<a href="javascript:1">', '<img src="//e.x/p.png"> is not local']);
  });

  it('the Markdown renderer emits only allowlisted elements, attributes and URLs', () => {
    fc.assert(
      fc.property(hostileText(80), (markdown) => {
        count('renderBody');
        const { html } = renderBody(markdown);
        expect(violations(html, BODY_ALLOWLIST)).toEqual([]);
      }),
      runs(2000),
    );
  });

  it('the article page emits only allowlisted markup whatever the title, author, source, summary, body and captions', () => {
    const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };
    const photos = new Map([[photoId, readyPhoto]]);
    fc.assert(
      fc.property(
        fc.record({
          title: hostileText(20),
          author: hostileText(8),
          source: hostileText(8),
          summary: hostileText(20),
          body: hostileText(60).map((b) => `${b}\n\n![${b.slice(0, 20)}](${quarantineKey(photoId)})`),
          caption: hostileText(8),
          editor: hostileText(5),
        }),
        (fields) => {
          count('renderArticlePage');
          const article: Article & { publishedAt: string } = {
            ...seedArticle,
            publishedAt: seedArticle.publishedAt ?? '',
            ...fields,
            images: [{ key: quarantineKey(photoId), caption: fields.caption }],
          };
          const html = renderArticlePage(context, { article, views: 7, photos });
          expect(violations(html, PAGE_ALLOWLIST)).toEqual([]);
          // The structured data stays one JSON value that carries the title verbatim: nothing broke out of it.
          const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
          expect((JSON.parse(ld) as { headline: string }).headline).toBe(fields.title);
          expect(html.match(/<script\b/g)?.length).toBe(2);
        },
      ),
      runs(400),
    );
  });
});

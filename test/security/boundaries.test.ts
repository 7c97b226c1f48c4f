// The API's JSON boundaries under property tests: no accepted text can break the XML files the site serves (feed,
// sitemap index, month child, news sitemap), parsed by a strict XML 1.0 parser; and an unknown field is refused
// whatever its name, including the names JavaScript objects treat specially.
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import type { Article } from '#shared/domain/article.ts';
import { validateEdit, validateRestore } from '#shared/domain/editing.ts';
import { validatePhotoEdit } from '#shared/domain/photo-edits.ts';
import { validateRejection } from '#shared/domain/review.ts';
import { validateSubmission } from '#shared/domain/submission.ts';
import { cleanText } from '#shared/domain/text.ts';
import { validateUploadRequest } from '#shared/domain/uploads.ts';
import { toHttpError } from '#shared/http/errors.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import { buildCatalogue, type Listing, toListing } from '#shared/render/catalogue.ts';
import { renderFeed } from '#shared/render/pages.ts';
import { renderNewsSitemap, renderSitemapIndex, renderSitemapPart } from '#shared/render/sitemaps.ts';
import { seedArticle } from '../support/render-fixtures.ts';

const scale = Number(process.env.FUZZ_SCALE ?? 1) || 1;
const runs = (n: number) => ({ numRuns: Math.round(n * scale) });
const tried: Record<string, number> = {};
const count = (what: string) => {
  tried[what] = (tried[what] ?? 0) + 1;
};
afterAll(() => {
  console.log(`boundaries: ${JSON.stringify(tried)}`);
});

/** Parses `xml` with saxes, which enforces XML 1.0's Char production; throws on the first well-formedness error. */
function parseStrictXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.write(xml).close();
  if (failure) throw failure;
}

// ---- text that cannot break XML ------------------------------------------------------------------------------

/** Strings built from what XML cannot carry, mixed with markup and ordinary text. */
const xmlHostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\uFFFE',
        '\uFFFF',
        '\uFDD0',
        '\uFDEF',
        '\u{1FFFE}',
        '\u{10FFFF}',
        '\uD800',
        '\uDFFF',
        '\u0000',
        '\u0008',
        '\u000B',
        '\u001F',
        '\u007F',
        '\u0085',
        ']]>',
        '<![CDATA[',
        '&',
        '<',
        '"',
        '字',
        ' ',
      ),
      fc.string({ maxLength: 8, unit: 'binary' }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('text that cannot break XML', () => {
  it('has a parser that does refuse what the cleaning strips (control)', () => {
    for (const raw of ['\uFFFE', '\uFFFF', '\uD800', '\u0001'])
      expect(() => parseStrictXml(`<a>${raw}</a>`), JSON.stringify(raw)).toThrow();
    expect(() => parseStrictXml('<a>法治 &amp; 公益</a>')).not.toThrow();
  });

  it('strips noncharacters and lone surrogates along with control characters', () => {
    expect(cleanText('a\uFFFEb\uFFFFc\uFDD0d\u{1FFFE}e\uD800f', { multiline: false })).toBe('abcdef');
    // A surrogate pair (an emoji) is a character and stays.
    expect(cleanText('新闻😀', { multiline: false })).toBe('新闻😀');
  });

  it('for any accepted submission, the feed and the sitemaps still parse as XML', () => {
    const now = new Date('2024-05-10T12:00:00.000Z');
    const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };
    fc.assert(
      fc.property(xmlHostile, xmlHostile, xmlHostile, xmlHostile, (title, body, author, summary) => {
        count('xml');
        const result = validateSubmission({ title, body, author, summary, channel: 'focus/public-welfare' });
        if (!result.ok) return;
        const article: Article = {
          ...seedArticle,
          ...result.value,
          id: 'ffffffffffff0001',
          status: 'published',
          publishedAt: '2024-05-10T10:00:00.000Z',
          updatedAt: '2024-05-10T10:00:00.000Z',
        };
        const catalogue = buildCatalogue([toListing(article) as Listing]);
        const files = [
          renderFeed(context, catalogue, new Map([[article.id, article]])),
          renderSitemapIndex(context, catalogue),
          renderSitemapPart(context, catalogue, '2024-05') ?? '',
          renderNewsSitemap(context, catalogue, now),
        ];
        for (const xml of files) parseStrictXml(xml);
        // The news sitemap carries the title itself, so the property does reach the text.
        expect(files[3]).toContain('<news:title>');
      }),
      runs(1500),
    );
  });
});

// ---- unknown fields, whatever their name -----------------------------------------------------------------------

/** Names that plain objects treat specially, and arbitrary ones (which may collide with a real field: skipped). */
const SPECIAL_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  '__lookupSetter__',
  'then',
  '',
  ' ',
  'title ',
  'Title',
  '0',
  'length',
];
const keyName = fc.oneof(fc.constantFrom(...SPECIAL_NAMES), fc.string({ maxLength: 12 }));

/** A JSON body as the API receives it: JSON.parse makes `__proto__` an own property, as from the network. */
const withExtra = (valid: Record<string, unknown>, key: string): unknown => {
  const json = JSON.stringify(valid);
  const extra = `${JSON.stringify(key)}:${JSON.stringify('x')}`;
  return JSON.parse(json === '{}' ? `{${extra}}` : `{${extra},${json.slice(1)}`);
};

/** The field errors a validator reports, whether it answers a result or throws the API's 400. */
const refusal = (validate: () => unknown): Record<string, string> | undefined => {
  try {
    const result = validate() as { ok?: boolean; fields?: Record<string, string> } | unknown[];
    if (Array.isArray(result)) return undefined;
    return result.ok === false ? result.fields : undefined;
  } catch (error) {
    const http = toHttpError(error);
    if (http?.statusCode === 400) return http.fields ?? {};
    throw error;
  }
};

const validSubmission = { title: '标题', body: '正文', author: '', channel: 'focus/public-welfare' };
const image = { key: 'uploads/quarantine/0b5c8a3e-5a0b-4d6c-9a1e-3f2d1c0b9a8e', caption: '说明' };

/** Every JSON body the API takes, at every level that refuses unknown fields, with its known fields. */
const bodies: {
  name: string;
  known: string[];
  body: (key: string) => unknown;
  validate: (b: unknown) => unknown;
}[] = [
  {
    name: 'POST /api/submissions',
    known: ['title', 'body', 'author', 'source', 'channel', 'summary', 'contact', 'images'],
    body: (key) => withExtra(validSubmission, key),
    validate: (b) => validateSubmission(b),
  },
  {
    name: 'POST /api/submissions contact',
    known: ['name', 'email'],
    body: (key) => ({ ...validSubmission, contact: withExtra({ name: '李' }, key) }),
    validate: (b) => validateSubmission(b),
  },
  {
    name: 'POST /api/submissions images[0]',
    known: ['key', 'caption'],
    body: (key) => ({ ...validSubmission, images: [withExtra(image, key)] }),
    validate: (b) => validateSubmission(b),
  },
  {
    name: 'POST /api/uploads',
    known: ['contentType', 'size'],
    body: (key) => withExtra({ contentType: 'image/jpeg', size: 1000 }, key),
    validate: (b) => validateUploadRequest(b),
  },
  {
    name: 'POST …/reject',
    known: ['reason'],
    body: (key) => withExtra({ reason: '不符合要求' }, key),
    validate: (b) => validateRejection(b),
  },
  {
    name: 'PUT …/images',
    known: ['images'],
    body: (key) => withExtra({ images: [image] }, key),
    validate: (b) => validatePhotoEdit(b),
  },
  {
    name: 'PUT …/images images[0]',
    known: ['key', 'caption'],
    body: (key) => ({ images: [withExtra(image, key)] }),
    validate: (b) => validatePhotoEdit(b),
  },
  {
    name: 'PUT …/submissions/{id} (edit)',
    known: [
      'revision',
      'title',
      'body',
      'author',
      'source',
      'channel',
      'summary',
      'images',
      'correction',
      'note',
    ],
    body: (key) => withExtra({ ...validSubmission, revision: 1 }, key),
    validate: (b) => validateEdit(b),
  },
  {
    name: 'PUT …/submissions/{id} correction',
    known: ['note'],
    body: (key) => ({ ...validSubmission, revision: 1, correction: withExtra({ note: '更正说明' }, key) }),
    validate: (b) => validateEdit(b),
  },
  {
    name: 'POST …/restore',
    known: ['revision', 'from'],
    body: (key) => withExtra({ revision: 2, from: 1 }, key),
    validate: (b) => validateRestore(b),
  },
];

describe('unknown fields are refused whatever their name', () => {
  for (const { name, known, body, validate } of bodies) {
    it(`${name}: the valid body passes, and any extra key is refused and named`, () => {
      // A known key's extra value is overwritten by the valid one (JSON keeps the last), so this is the valid body.
      expect(refusal(() => validate(body(known[0] ?? '')))).toBeUndefined();
      fc.assert(
        fc.property(keyName, (key) => {
          if (known.includes(key)) return;
          count('unknown-field');
          const fields = refusal(() => validate(body(key)));
          expect(fields, `${name} accepted an unknown field ${JSON.stringify(key)}`).toBeDefined();
          expect(Object.keys(fields ?? {}).some((f) => f === key || f.endsWith(`.${key}`))).toBe(true);
        }),
        { ...runs(200), examples: SPECIAL_NAMES.map((k) => [k]) },
      );
    });
  }
});

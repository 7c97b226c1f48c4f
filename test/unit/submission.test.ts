import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { submissionLimits, validateSubmission } from '#shared/domain/submission.ts';
import { cleanText } from '#shared/domain/text.ts';

const seed = JSON.parse(
  readFileSync(new URL('../../../shared/seed/seed-article.json', import.meta.url), 'utf8'),
);
const { editor: _e, publishedAt: _p, views: _v, ...seedSubmission } = seed;
const valid = { title: '标题', body: '正文。', author: '', channel: 'focus/public-welfare' };

describe('validateSubmission', () => {
  it('accepts the seed article as a contributor would send it', () => {
    const result = validateSubmission(seedSubmission);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.title).toBe('在大战大考中守好小店阵地');
      expect(result.value.channel).toBe('focus/public-welfare');
      expect(result.value.body).toContain('## 尽锐出战 以快制快');
      expect(result.value.author).toBe('');
    }
  });

  it('refuses fields a contributor cannot set, naming each one', () => {
    const result = validateSubmission(seed);
    expect(result).toEqual({
      ok: false,
      fields: { editor: 'Unknown field.', publishedAt: 'Unknown field.', views: 'Unknown field.' },
    });
  });

  it('reports every problem at once', () => {
    const result = validateSubmission({ body: 42, channel: 'nowhere', contact: { phone: '1' } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.fields).sort()).toEqual([
        'author',
        'body',
        'channel',
        'contact.phone',
        'title',
      ]);
    }
  });

  it('enforces the length limits in characters, not bytes', () => {
    const atLimit = validateSubmission({ ...valid, title: '字'.repeat(submissionLimits.title) });
    expect(atLimit.ok).toBe(true);
    const over = validateSubmission({ ...valid, title: '字'.repeat(submissionLimits.title + 1) });
    expect(over).toEqual({ ok: false, fields: { title: 'Must be at most 200 characters.' } });
    const longBody = validateSubmission({ ...valid, body: 'a'.repeat(submissionLimits.body + 1) });
    expect(longBody.ok).toBe(false);
  });

  it('treats a title of control characters as empty', () => {
    const result = validateSubmission({ ...valid, title: '\u0000\u0007\u200b\u202e' });
    expect(result).toEqual({ ok: false, fields: { title: 'Must not be empty.' } });
  });

  it('normalises to NFC and strips controls while keeping paragraphs', () => {
    const result = validateSubmission({
      ...valid,
      title: 'Cafe\u0301\u0000 新闻',
      body: '第一段\u0007\r\n\r\n第二段',
    });
    expect(result.ok && result.value.title).toBe('Café 新闻');
    expect(result.ok && result.value.body).toBe('第一段\n\n第二段');
  });

  it('validates contact details without requiring them', () => {
    expect(validateSubmission({ ...valid, contact: { email: 'not-an-email' } })).toEqual({
      ok: false,
      fields: { 'contact.email': 'Not an email address.' },
    });
    const ok = validateSubmission({ ...valid, contact: { name: ' 李 ', email: 'li@example.cn' } });
    expect(ok.ok && ok.value.contact).toEqual({ name: '李', email: 'li@example.cn' });
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateSubmission(value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets a control character through in any text field', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (title, body) => {
        const result = validateSubmission({ ...valid, title: `t${title}`, body: `b${body}` });
        if (result.ok) {
          expect(result.value.title).not.toMatch(/[\p{Cc}]/u);
          expect(result.value.body.replace(/[\n\t]/g, '')).not.toMatch(/\p{Cc}/u);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('cleanText', () => {
  it('folds whitespace in single-line fields', () => {
    expect(cleanText('  a\tb\n c  ', { multiline: false })).toBe('a b c');
  });
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.boolean(), (s, multiline) => {
        const once = cleanText(s, { multiline });
        expect(cleanText(once, { multiline })).toBe(once);
      }),
    );
  });
});

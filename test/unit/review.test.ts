import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article, ArticleStatus } from '#shared/domain/article.ts';
import {
  checkRejection,
  decide,
  parsePageSize,
  type ReviewDecision,
  summarise,
} from '#shared/domain/review.ts';

const pending: Article = {
  id: '2a8c6bce1fad40bb',
  status: 'pending',
  title: '在大战大考中守好小店阵地',
  body: '疫情面前,每个人都是城市的守护者。',
  author: '',
  source: '',
  channel: 'focus/public-welfare',
  summary: '',
  contact: { name: '李记者', email: 'reporter@example.cn' },
  submittedAt: '2022-04-15T10:00:00.000Z',
  updatedAt: '2022-04-15T10:00:00.000Z',
  revision: 1,
};

const at = (now: string) => ({ editor: { name: 'admin', sub: 'sub-admin' }, now });
const publish: ReviewDecision = { kind: 'publish' };
const unpublish: ReviewDecision = { kind: 'unpublish' };
const reject: ReviewDecision = { kind: 'reject', reason: '与栏目定位不符。' };

const step = (article: Article, decision: ReviewDecision, now = '2022-04-15T10:52:40.000Z'): Article => {
  const result = decide(article, decision, at(now));
  if (!result.ok) throw new Error(result.message);
  return result.next;
};

describe('review state machine', () => {
  it('publishes a pending article with the editor, the publish time and a new revision', () => {
    const published = step(pending, publish);
    expect(published).toMatchObject({
      status: 'published',
      editor: 'admin',
      publishedAt: '2022-04-15T10:52:40.000Z',
      updatedAt: '2022-04-15T10:52:40.000Z',
      revision: 2,
      title: pending.title,
      contact: pending.contact,
    });
  });

  it('rejects a pending article with its reason', () => {
    expect(step(pending, reject)).toMatchObject({
      status: 'rejected',
      rejectReason: '与栏目定位不符。',
      editor: 'admin',
      revision: 2,
    });
  });

  it('unpublishes, then republishes keeping the first publish time so the URL never changes', () => {
    const published = step(pending, publish, '2022-04-15T10:52:40.000Z');
    const hidden = step(published, unpublish, '2022-05-01T00:00:00.000Z');
    expect(hidden).toMatchObject({ status: 'unpublished', publishedAt: published.publishedAt, revision: 3 });
    const back = decide(hidden, publish, {
      editor: { name: 'editor2', sub: 'sub-2' },
      now: '2022-06-01T00:00:00.000Z',
    });
    expect(back.ok && back.next).toMatchObject({
      status: 'published',
      publishedAt: '2022-04-15T10:52:40.000Z',
      updatedAt: '2022-06-01T00:00:00.000Z',
      editor: 'editor2',
      revision: 4,
    });
  });

  const refused: [ArticleStatus, ReviewDecision][] = [
    ['published', publish],
    ['rejected', publish],
    ['published', reject],
    ['rejected', reject],
    ['unpublished', reject],
    ['pending', unpublish],
    ['rejected', unpublish],
    ['unpublished', unpublish],
  ];
  it.each(refused)('refuses from %s: %o', (status, decision) => {
    const result = decide({ ...pending, status }, decision, at('2022-04-15T10:52:40.000Z'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(status);
  });

  it('never moves publishedAt once set and always bumps the revision, whatever editors do', () => {
    const decision = fc.constantFrom<ReviewDecision>(publish, unpublish, reject);
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 12 }), (decisions) => {
        let article = pending;
        let firstPublish: string | undefined;
        decisions.forEach((d, i) => {
          const now = new Date(Date.UTC(2022, 3, 16 + i)).toISOString();
          const result = decide(article, d, at(now));
          if (!result.ok) return;
          expect(result.next.revision).toBe(article.revision + 1);
          if (result.next.status === 'published') firstPublish ??= now;
          article = result.next;
        });
        expect(article.publishedAt).toBe(firstPublish);
      }),
    );
  });
});

describe('rejection reasons', () => {
  it('accepts a reason, NFC-normalised and trimmed', () => {
    expect(checkRejection({ reason: '  Cafe\u0301 ' })).toEqual({ ok: true, value: 'Café' });
  });
  it.each([
    [{}, 'Required.'],
    [{ reason: '' }, 'Must not be empty.'],
    [{ reason: ' \u200b\u0000 ' }, 'Must not be empty.'],
    [{ reason: 42 }, 'Must be a string.'],
    [{ reason: '字'.repeat(501) }, 'Must be at most 500 characters.'],
    [null, 'Required.'],
  ])('refuses %o', (input, message) => {
    expect(checkRejection(input)).toEqual({ ok: false, fields: { reason: message } });
  });
  it('allows exactly 500 characters and refuses unknown fields', () => {
    expect(checkRejection({ reason: '字'.repeat(500) }).ok).toBe(true);
    expect(checkRejection({ reason: 'x', status: 'published' })).toEqual({
      ok: false,
      fields: { status: 'Unknown field.' },
    });
  });
});

describe('queues', () => {
  it('adds the permanent URL to listings that have been published', () => {
    const { body: _b, contact: _c, ...listing } = step(pending, publish, '2022-04-15T10:52:40.000Z');
    expect(summarise(listing).url).toBe('/2022/0415/2a8c6bce1fad40bb.html');
    const { body: _b2, contact: _c2, ...waiting } = pending;
    expect(summarise(waiting).url).toBeUndefined();
  });
  it('takes page sizes from 1 to 50, 20 by default', () => {
    expect(parsePageSize(undefined)).toBe(20);
    expect(parsePageSize('50')).toBe(50);
    for (const bad of ['0', '51', '2.5', 'abc', '']) expect(() => parsePageSize(bad)).toThrow(/1 to 50/);
  });
});

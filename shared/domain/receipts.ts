// Contributor receipts: the secret a contributor keeps to look up what became of their 投稿. Only its hash is
// stored; the public answer names the state, a rejection's reason and the published URL, never contact details.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ReceiptLookupStore } from '../ports.ts';
import type { Article } from './article.ts';
import { isArticleId } from './article.ts';
import { notFound } from './errors.ts';
import { articlePath } from './urls.ts';

/** The hidden attributes (stored with a "_" prefix) a receipt leaves on the article. */
export const RECEIPT_HASH = 'receiptHash';
export const RECEIPT_SALT = 'receiptSalt';

/** What a contributor may learn: 待审 (pending, approved), 待发布 (scheduled), 已发布, 未采用, 已撤下. */
export type PublicStatus = 'pending' | 'scheduled' | 'published' | 'rejected' | 'unpublished';

export interface ReceiptAnswer {
  readonly id: string;
  readonly status: PublicStatus;
  readonly reason?: string;
  readonly url?: string;
}

export const hashReceipt = (receipt: string): string =>
  createHash('sha256').update(`receipt:${receipt}`).digest('base64url');

export interface IssuedReceipt {
  readonly receipt: string;
  /** Hidden attributes to store with the article. */
  readonly stored: Record<string, string>;
}

/**
 * A new receipt. With an Idempotency-Key it is derived from the key and a stored random salt, so a retried request
 * gets the same receipt back, while the table (which holds the salt but never the key) cannot produce it.
 */
export function issueReceipt(idempotencyKey?: string): IssuedReceipt {
  if (idempotencyKey === undefined) {
    const receipt = randomBytes(24).toString('base64url');
    return { receipt, stored: { [RECEIPT_HASH]: hashReceipt(receipt) } };
  }
  const salt = randomBytes(32).toString('base64url');
  const receipt = receiptFor(salt, idempotencyKey);
  return { receipt, stored: { [RECEIPT_HASH]: hashReceipt(receipt), [RECEIPT_SALT]: salt } };
}

/** The receipt an idempotent submission was given, from its stored salt. */
export const receiptFor = (salt: string, idempotencyKey: string): string =>
  createHmac('sha256', salt).update(`receipt:${idempotencyKey}`).digest('base64url').slice(0, 32);

/** Receipts are base64url, 32 characters; anything else cannot match and is refused before any read. */
export const RECEIPT_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export function receiptMatches(given: string, storedHash: string | undefined): boolean {
  if (!storedHash || !RECEIPT_PATTERN.test(given)) return false;
  const a = Buffer.from(hashReceipt(given));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function publicStatus(article: Article): ReceiptAnswer {
  const { id } = article;
  switch (article.status) {
    case 'pending':
    case 'approved':
      return { id, status: 'pending' };
    case 'scheduled':
      return { id, status: 'scheduled' };
    case 'published':
      return article.publishedAt
        ? { id, status: 'published', url: articlePath({ id, publishedAt: article.publishedAt }) }
        : { id, status: 'published' };
    case 'rejected':
      return article.rejectReason
        ? { id, status: 'rejected', reason: article.rejectReason }
        : { id, status: 'rejected' };
    case 'unpublished':
      return { id, status: 'unpublished' };
  }
}

/** An unknown id, a missing receipt and a wrong one are the same 404: the answer tells nothing about which. */
export async function lookUpSubmission(
  id: string,
  receipt: string | undefined,
  store: ReceiptLookupStore,
): Promise<ReceiptAnswer> {
  const missing = notFound('The submission');
  if (!isArticleId(id) || receipt === undefined || !RECEIPT_PATTERN.test(receipt)) throw missing;
  const [article, hash] = await Promise.all([store.get(id), store.getAttribute(id, RECEIPT_HASH)]);
  if (!article || !receiptMatches(receipt, hash)) throw missing;
  return publicStatus(article);
}

// Turns a validated submission into a pending article, honouring an optional Idempotency-Key.

import type { ArticleStore } from '../ports.ts';
import type { Article } from './article.ts';
import { conflict, DomainError, validationFailed } from './errors.ts';
import { submissionRecord } from './history.ts';
import { fingerprint, idForIdempotencyKey, newArticleId } from './ids.ts';
import { issueReceipt, RECEIPT_SALT, receiptFor } from './receipts.ts';
import { validateSubmission } from './submission.ts';

export interface AcceptDeps {
  readonly store: ArticleStore;
  readonly now: () => Date;
}

export interface Accepted {
  readonly id: string;
  readonly status: 'pending';
  /** False when an earlier request with the same Idempotency-Key already stored this submission. */
  readonly created: boolean;
  /** The contributor's secret for looking the submission up (receipts.ts); the same on an idempotent retry. */
  readonly receipt: string;
}

const MAX_KEY_LENGTH = 255;

export async function acceptSubmission(
  input: unknown,
  idempotencyKey: string | undefined,
  deps: AcceptDeps,
): Promise<Accepted> {
  const result = validateSubmission(input);
  if (!result.ok) throw validationFailed(result.fields);
  if (
    idempotencyKey !== undefined &&
    (idempotencyKey.length === 0 || idempotencyKey.length > MAX_KEY_LENGTH)
  ) {
    throw new DomainError(
      'invalid',
      'invalid_idempotency_key',
      `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters.`,
    );
  }

  const now = deps.now().toISOString();
  const id = idempotencyKey ? idForIdempotencyKey(idempotencyKey) : newArticleId();
  const article: Article = {
    id,
    status: 'pending',
    ...result.value,
    submittedAt: now,
    updatedAt: now,
    revision: 1,
  };
  const requestFingerprint = fingerprint(result.value);
  const issued = issueReceipt(idempotencyKey);
  // The audit trail's first entry and the text's first saved copy go in with the article (one transaction).
  const outcome = await deps.store.insert(
    article,
    idempotencyKey ? { requestFingerprint, ...issued.stored } : issued.stored,
    submissionRecord(article),
  );
  if (outcome.inserted) return { id, status: 'pending', created: true, receipt: issued.receipt };

  if (!idempotencyKey) throw conflict('Generated id collided with an existing article; retry the request.');
  const stored = await deps.store.getAttribute(id, 'requestFingerprint');
  if (stored !== requestFingerprint) {
    throw new DomainError(
      'unprocessable',
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different submission.',
    );
  }
  const salt = await deps.store.getAttribute(id, RECEIPT_SALT);
  // A submission stored before receipts existed has no salt: its retry gets no receipt it could use, so none.
  return { id, status: 'pending', created: false, receipt: salt ? receiptFor(salt, idempotencyKey) : '' };
}

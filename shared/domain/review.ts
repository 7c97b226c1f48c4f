// Editorial review: the state machine an article moves through after submission, and the use cases the review
// function wires to HTTP. The state machine is pure; the use cases talk to the ArticleStore port only.

import * as v from 'valibot';
import type { ArticleListing, ArticleStore, HistoryReader } from '../ports.ts';
import { type Checked, check, REQUIRED, requiredText, strictObject } from '../schema.ts';
import { type Article, type ArticleStatus, articleStatuses, type EditorRef, isArticleId } from './article.ts';
import { conflict, type DomainError, invalid, notFound, validationFailed } from './errors.ts';
import type { ChangeRecord } from './history.ts';
import { forbidden, isChiefEditor, requireEditor, type SignOff } from './roles.ts';
import { articlePath, displayTime } from './urls.ts';

export type ReviewDecision =
  | { readonly kind: 'publish' }
  | { readonly kind: 'approve' }
  | { readonly kind: 'reject'; readonly reason: string }
  | { readonly kind: 'unpublish' };

export interface ReviewContext {
  /** The editor from the token; on publish the name becomes the 责任编辑 on the page. */
  readonly editor: EditorRef;
  /** ISO 8601 time of the decision. */
  readonly now: string;
}

/** The signed-in editor as the handler read the token: who, and which groups. */
export interface Actor extends EditorRef {
  readonly groups: readonly string[];
}

export type Transition =
  | { readonly ok: true; readonly next: Article }
  | { readonly ok: false; readonly message: string };

export const reviewLimits = {
  rejectReason: 500,
  editorName: 100,
  pageSize: 50,
  defaultPageSize: 20,
} as const;

export const reviewStatuses: readonly ArticleStatus[] = articleStatuses;

export const isArticleStatus = (value: string): value is ArticleStatus =>
  (reviewStatuses as readonly string[]).includes(value);

/** Which states each decision may leave from. Everything else is a conflict. */
const allowedFrom: Record<ReviewDecision['kind'], readonly ArticleStatus[]> = {
  publish: ['pending', 'approved', 'unpublished'],
  approve: ['pending'],
  reject: ['pending', 'approved'],
  unpublish: ['published'],
};

/**
 * The state machine: pending→published, pending→rejected, published→unpublished, unpublished→published; with
 * two-step sign-off pending→approved→published (or →rejected). Every transition bumps `revision`, which the store's
 * conditional write checks.
 */
export function decide(article: Article, decision: ReviewDecision, context: ReviewContext): Transition {
  if (!allowedFrom[decision.kind].includes(article.status)) {
    return {
      ok: false,
      message: `Cannot ${decision.kind} an article that is ${article.status}.`,
    };
  }
  const base = {
    ...article,
    updatedAt: context.now,
    updatedBy: context.editor,
    revision: article.revision + 1,
  };
  switch (decision.kind) {
    case 'approve':
      return { ok: true, next: { ...base, status: 'approved', approvedBy: context.editor } };
    case 'publish':
      return {
        ok: true,
        next: {
          ...base,
          status: 'published',
          editor: context.editor.name,
          editorSub: context.editor.sub,
          // Republishing keeps the first publish time, so the permanent URL never changes.
          publishedAt: article.publishedAt ?? context.now,
        },
      };
    case 'reject':
      return {
        ok: true,
        next: {
          ...base,
          status: 'rejected',
          editor: context.editor.name,
          editorSub: context.editor.sub,
          rejectReason: decision.reason,
        },
      };
    case 'unpublish':
      // `editor` stays: it names who published the page; a later republish replaces it with the new editor.
      return { ok: true, next: { ...base, status: 'unpublished' } };
  }
}

/** The permanent URL of an article that has been published at least once. */
export const urlOf = (article: Pick<Article, 'id' | 'publishedAt'>): string | undefined =>
  article.publishedAt ? articlePath({ id: article.id, publishedAt: article.publishedAt }) : undefined;

const LOADED_REVISION = 'Must be the revision number you loaded (a positive integer).';

/** The revision an editor loaded (an edit, a restore, a schedule): a change to an older one is refused with a 409. */
export const loadedRevision = v.pipe(
  v.number(LOADED_REVISION),
  v.integer(LOADED_REVISION),
  v.minValue(1, LOADED_REVISION),
);

/** A rejection is `{reason}`: a non-empty text of at most 500 characters, and nothing else. */
const rejectionSchema = v.pipe(
  strictObject({ reason: requiredText(reviewLimits.rejectReason, { multiline: true }) }, REQUIRED),
  v.transform(({ reason = '' }) => reason),
);

/** The reason of a rejection; anything else (no object at all is a missing reason) is refused with its fields. */
export function checkRejection(input: unknown): Checked<string> {
  return check(rejectionSchema, input, 'reason');
}

/** The reason, or a 400 that names the problem. */
export function validateRejection(input: unknown): string {
  const result = checkRejection(input);
  if (!result.ok) throw validationFailed(result.fields, 'A rejection needs a reason.');
  return result.value;
}

export interface ReviewDeps {
  readonly store: ArticleStore;
  readonly history: HistoryReader;
  readonly now: () => Date;
  readonly signOff: SignOff;
}

export type ReviewOutcome = {
  readonly id: string;
  readonly status: ArticleStatus;
  readonly revision: number;
  readonly url?: string;
};

/** Loads an article for an editor; malformed ids are as unknown as missing ones. */
export async function findSubmission(id: string, store: ArticleStore): Promise<Article> {
  const article = isArticleId(id) ? await store.get(id) : undefined;
  if (!article) throw notFound('The submission');
  return article;
}

/** 409 for a change made against an older revision: names who saved the newer one, and when. */
export function staleRevision(current: Article, loaded: number): DomainError {
  const by = current.updatedBy?.name ?? current.editor;
  const when = displayTime(current.updatedAt);
  return conflict(
    `Revision ${loaded} is out of date: revision ${current.revision} was saved${by ? ` by ${by}` : ''} at ${when}. Reload it and apply your changes again.`,
  );
}

/** Who may take which decision: the groups and, with two-step sign-off, 初审 and 终审 by different people. */
export function authorise(article: Article, decision: ReviewDecision, actor: Actor, signOff: SignOff): void {
  requireEditor(actor.groups);
  if (decision.kind === 'approve' && signOff !== 'two-step')
    throw conflict('Approval (初审) is only used with two-step sign-off; publish directly.');
  if (decision.kind !== 'publish' || signOff !== 'two-step') return;
  if (!isChiefEditor(actor.groups)) throw forbidden('Publishing (终审) needs the chief-editors group.');
  if (article.lastEditor && article.lastEditor.sub === actor.sub)
    throw forbidden('You made the last edit of this text; another chief editor must publish it (终审).');
  if (article.status === 'pending')
    throw conflict("This article needs an editor's approval (初审) before it is published.");
}

/**
 * Applies one decision with a conditional write on the revision and status that were read, and its audit entry in
 * the same transaction. When another editor got there first the write fails, and this request answers 409: exactly
 * one of two racing editors wins.
 */
export async function decideSubmission(
  id: string,
  decision: ReviewDecision,
  actor: Actor,
  deps: ReviewDeps,
): Promise<ReviewOutcome> {
  const current = await findSubmission(id, deps.store);
  authorise(current, decision, actor, deps.signOff);
  const editor: EditorRef = { name: actor.name, sub: actor.sub };
  const now = deps.now().toISOString();
  const transition = decide(current, decision, { editor, now });
  if (!transition.ok) throw conflict(transition.message);
  const record: ChangeRecord = {
    audit: {
      action: decision.kind,
      editor,
      at: now,
      revision: transition.next.revision,
      ...(decision.kind === 'reject' ? { note: decision.reason } : {}),
    },
  };
  const written = await deps.store.transition(
    transition.next,
    { status: current.status, revision: current.revision, channel: current.channel },
    record,
  );
  if (!written) throw conflict('Another editor changed this submission at the same time; reload it.');
  const url = urlOf(transition.next);
  return {
    id,
    status: transition.next.status,
    revision: transition.next.revision,
    ...(transition.next.status === 'published' && url ? { url } : {}),
  };
}

/** What the queues show: the stored listing plus the permanent URL once there is one. */
export type SubmissionSummary = ArticleListing & { readonly url?: string };

export const summarise = (listing: ArticleListing): SubmissionSummary => {
  const url = urlOf(listing);
  return url ? { ...listing, url } : listing;
};

export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined) return reviewLimits.defaultPageSize;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > reviewLimits.pageSize) {
    throw invalid(`limit must be an integer from 1 to ${reviewLimits.pageSize}.`);
  }
  return size;
}

export async function listSubmissions(
  status: ArticleStatus,
  options: { limit: number; next?: string | undefined },
  store: ArticleStore,
): Promise<{ items: SubmissionSummary[]; next?: string }> {
  const page = await store.listByStatus(status, options);
  return { items: page.items.map(summarise), ...(page.next ? { next: page.next } : {}) };
}

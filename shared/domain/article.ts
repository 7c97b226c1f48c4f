// The article as the system of record holds it, and the states it moves through.
import type { ImageRef } from './uploads.ts';

/**
 * `approved` exists only with two-step sign-off: an editor's 初审 passed, a chief editor's 终审 still to come.
 * `scheduled` (定时发布) waits for `scheduledAt`, and is nowhere readers can reach until then (the embargo).
 */
export const articleStatuses = [
  'pending',
  'approved',
  'scheduled',
  'published',
  'rejected',
  'unpublished',
] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

/** A person acting on the desk: the name printed as 责任编辑 and the Cognito `sub` that says who it really was. */
export interface EditorRef {
  readonly name: string;
  readonly sub: string;
}

/** A public correction (更正), printed on the article page with its date. */
export interface Correction {
  /** ISO 8601. */
  readonly at: string;
  readonly note: string;
}

export interface Contact {
  readonly name?: string;
  readonly email?: string;
}

/**
 * The text of an article: what an editor may change, what a saved revision keeps, and (with the private contact)
 * what a contributor sends. One list, in the order a saved copy stores it; `body` is Markdown.
 */
export const TEXT_FIELDS = ['title', 'body', 'author', 'source', 'channel', 'summary'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export type ArticleText = { readonly [K in TextField]: string } & {
  /** Photos for the 高清组图 gallery (upload keys and captions); what processing made of them is in upload records. */
  readonly images?: readonly ImageRef[];
};

export interface Article extends ArticleText {
  readonly id: string;
  readonly status: ArticleStatus;
  /** Private: stored for the editors, never rendered, never logged. */
  readonly contact?: Contact;
  /** ISO 8601 with offset. */
  readonly submittedAt: string;
  readonly updatedAt: string;
  /** Set on first publish and never changed afterwards: the permanent URL derives from it. */
  readonly publishedAt?: string;
  readonly editor?: string;
  /** The Cognito `sub` of the 责任编辑, so a renamed account still says who published. */
  readonly editorSub?: string;
  /** Who last changed the text (an edit or a restore); with two-step sign-off they may not also publish it. */
  readonly lastEditor?: EditorRef;
  /** Who made the latest change of any kind: a stale save's 409 names them. */
  readonly updatedBy?: EditorRef;
  /** Two-step sign-off: who passed 初审; any later edit of the text clears it. */
  readonly approvedBy?: EditorRef;
  /** When the text of the published article last changed (更新时间, JSON-LD dateModified); ISO 8601. */
  readonly modifiedAt?: string;
  /** Public corrections, oldest first. */
  readonly corrections?: readonly Correction[];
  readonly rejectReason?: string;
  /** 定时发布: when a scheduled article goes out (ISO 8601 UTC); its publish time is this, not the moment it fired. */
  readonly scheduledAt?: string;
  /** Who scheduled it: the 责任编辑 of the page it becomes. */
  readonly scheduledBy?: EditorRef;
  /** Preview links issued until this time (ISO 8601) were withdrawn by an editor (shared/domain/preview-links.ts). */
  readonly previewsRevokedAt?: string;
  /** Its URLs on the site it was imported from (redirect keys, e.g. `/a/news/20220415/35.html`, `/?p=12`). */
  readonly oldUrls?: readonly string[];
  /** Monotonic revision for conditional writes. */
  readonly revision: number;
}

/** Ids are 16 lower-case hex characters, like the seed's `2a8c6bce1fad40bb`. */
export const ARTICLE_ID_PATTERN = /^[0-9a-f]{16}$/;

export const isArticleId = (value: string): boolean => ARTICLE_ID_PATTERN.test(value);

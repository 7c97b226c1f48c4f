// An article's history: the audit trail (who did what, when, at which revision) and the saved copies of its text.
// Both are written in the same transaction as the change they record, and never changed afterwards.
import type { Article, EditorRef } from './article.ts';
import type { ImageRef } from './uploads.ts';

export const auditActions = [
  'submit',
  'edit',
  'correction',
  'approve',
  'publish',
  'reject',
  'unpublish',
  'restore',
  'schedule',
  'unschedule',
  'revoke-previews',
] as const;

export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  readonly action: AuditAction;
  readonly editor: EditorRef;
  /** ISO 8601. */
  readonly at: string;
  /** The article's revision after the action. */
  readonly revision: number;
  readonly note?: string;
}

/** The fields an editor may change: what a saved revision keeps. */
export interface ArticleText {
  readonly title: string;
  readonly body: string;
  readonly author: string;
  readonly source: string;
  readonly channel: string;
  readonly summary: string;
  readonly images?: readonly ImageRef[];
}

/** A saved copy of the text as of one revision. */
export interface Revision {
  readonly revision: number;
  readonly editor: EditorRef;
  readonly at: string;
  readonly note?: string;
  readonly text: ArticleText;
}

export type RevisionSummary = Omit<Revision, 'text'>;

/** What one change writes besides the article: its audit entry and, when the text changed, a saved copy. */
export interface ChangeRecord {
  readonly audit: AuditEntry;
  readonly revisions?: readonly Revision[];
}

/** Who the audit trail names for a contributor's submission: nobody signed in. */
export const CONTRIBUTOR: EditorRef = { name: 'contributor', sub: 'public' };

export function textOf(article: ArticleText): ArticleText {
  return {
    title: article.title,
    body: article.body,
    author: article.author,
    source: article.source,
    channel: article.channel,
    summary: article.summary,
    ...(article.images?.length ? { images: article.images } : {}),
  };
}

export const sameText = (a: ArticleText, b: ArticleText): boolean =>
  JSON.stringify(textOf(a)) === JSON.stringify(textOf(b));

/** A submission's first audit entry and saved copy (revision 1). */
export function submissionRecord(article: Article): ChangeRecord {
  const who = CONTRIBUTOR;
  return {
    audit: { action: 'submit', editor: who, at: article.submittedAt, revision: article.revision },
    revisions: [{ revision: article.revision, editor: who, at: article.submittedAt, text: textOf(article) }],
  };
}

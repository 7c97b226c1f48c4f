// An article's history: the audit trail (who did what, when, at which revision) and the saved copies of its text.
// Both are written in the same transaction as the change they record, and never changed afterwards.
import { type Article, type ArticleText, type EditorRef, TEXT_FIELDS, type TextField } from './article.ts';

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

/** The text fields of `article` alone, without its photos, in TEXT_FIELDS order. */
export const textFieldsOf = (article: ArticleText): Record<TextField, string> =>
  Object.fromEntries(TEXT_FIELDS.map((field) => [field, article[field]])) as Record<TextField, string>;

/** Only the text of `article` (a saved copy, or what two revisions compare), in TEXT_FIELDS order. */
export function textOf(article: ArticleText): ArticleText {
  const text = textFieldsOf(article);
  return article.images?.length ? { ...text, images: article.images } : text;
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

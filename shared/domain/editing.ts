// An editor's changes to an article's text, before or after publishing: the edit (with an optional public
// correction, 更正), and the restore of a saved revision. Each keeps a saved copy and an audit entry, written in the
// transaction that changes the article; a stale revision is a 409 that names who saved the newer one.

import { type ChannelIndex, channels } from '../channels.ts';
import { type Article, type ArticleText, type EditorRef, TEXT_FIELDS, type TextField } from './article.ts';
import { conflict, notFound, validationFailed } from './errors.ts';
import { fieldErrors } from './field-errors.ts';
import { type AuditAction, CONTRIBUTOR, type Revision, textFieldsOf, textOf } from './history.ts';
import { type Actor, findSubmission, type ReviewDeps, staleRevision } from './review.ts';
import { requireEditor } from './roles.ts';
import { unscheduledStatus } from './scheduling.ts';
import { submissionLimits, validateImages, validateSubmission } from './submission.ts';
import { cleanText } from './text.ts';

export const editLimits = { note: 500 } as const;

export interface EditRequest {
  /** The revision the editor loaded: the save is refused when the article has moved on. */
  readonly revision: number;
  readonly text: ArticleText;
  /** A public correction: only for a published article. */
  readonly correction?: { readonly note: string };
  /** A private note kept with the saved copy. */
  readonly note?: string;
}

const EDIT_ONLY = new Set(['revision', 'correction', 'note']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function noteField(raw: unknown, key: string, fields: Record<string, string>, required: boolean) {
  if (raw === undefined || raw === null) {
    if (required) fields[key] = 'Required.';
    return undefined;
  }
  if (typeof raw !== 'string') {
    fields[key] = 'Must be a string.';
    return undefined;
  }
  const note = cleanText(raw, { multiline: true });
  if (required && note === '') fields[key] = 'Must not be empty.';
  else if ([...note].length > editLimits.note) fields[key] = `Must be at most ${editLimits.note} characters.`;
  return note || undefined;
}

function revisionField(raw: unknown, key: string, fields: Record<string, string>): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    fields[key] = 'Must be the revision number you loaded (a positive integer).';
    return 0;
  }
  return raw;
}

/**
 * `{revision, title, body, author, source?, channel, summary?, images?, correction?:{note}, note?}`: the text is
 * checked by the submission rules themselves (validateSubmission), so an edit gets the same field errors as the
 * 投稿 page; the contributor's contact is not an editor's to change.
 */
export function validateEdit(input: unknown, index: ChannelIndex = channels): EditRequest {
  if (!isRecord(input)) throw validationFailed({ body: 'The request must be a JSON object.' });
  const fields = fieldErrors();
  // No prototype: a key named `__proto__` stays a key, and reaches validateSubmission as an unknown field.
  const text = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    if (key === 'contact') fields.contact = 'Unknown field.';
    else if (!EDIT_ONLY.has(key)) text[key] = value;
  }
  const revision = revisionField(input.revision, 'revision', fields);
  let correction: EditRequest['correction'];
  if (input.correction !== undefined && input.correction !== null) {
    if (!isRecord(input.correction)) fields.correction = 'Must be an object with a note.';
    else {
      for (const key of Object.keys(input.correction))
        if (key !== 'note') fields[`correction.${key}`] = 'Unknown field.';
      const note = noteField(input.correction.note, 'correction.note', fields, true);
      if (note) correction = { note };
    }
  }
  const note = noteField(input.note, 'note', fields, false);
  const checked = validateSubmission(text, index);
  if (!checked.ok) Object.assign(fields, checked.fields);
  if (!checked.ok || Object.keys(fields).length > 0) throw validationFailed(fields);
  return {
    revision,
    text: textOf(checked.value),
    ...(correction ? { correction } : {}),
    ...(note ? { note } : {}),
  };
}

export interface RestoreRequest {
  readonly revision: number;
  readonly from: number;
}

/** `{revision, from}`: the revision loaded, and the saved revision to restore. */
export function validateRestore(input: unknown): RestoreRequest {
  if (!isRecord(input)) throw validationFailed({ body: 'The request must be a JSON object.' });
  const fields = fieldErrors();
  for (const key of Object.keys(input))
    if (key !== 'revision' && key !== 'from') fields[key] = 'Unknown field.';
  const revision = revisionField(input.revision, 'revision', fields);
  const from = revisionField(input.from, 'from', fields);
  if (Object.keys(fields).length > 0) throw validationFailed(fields);
  return { revision, from };
}

export type EditOutcome = {
  readonly id: string;
  readonly status: Article['status'];
  readonly revision: number;
};

/** Who the first saved copy of an article that predates history (seeded, imported) is credited to. */
const firstAuthor = (article: Article): EditorRef =>
  article.lastEditor ??
  (article.editor ? { name: article.editor, sub: article.editorSub ?? '' } : CONTRIBUTOR);

/**
 * Saves new text as the next revision. Pending, approved and unpublished articles keep their place (an approved one
 * goes back to pending: 初审 approved other text); a published one stays published at its URL, gets 更新时间, and
 * with a correction a public 更正. A rejected article is closed.
 */
async function saveText(
  id: string,
  change: {
    readonly loaded: number;
    readonly text: ArticleText;
    readonly action: AuditAction;
    readonly note?: string | undefined;
    readonly correction?: { readonly note: string } | undefined;
  },
  actor: Actor,
  deps: ReviewDeps,
): Promise<EditOutcome> {
  requireEditor(actor.groups);
  const current = await findSubmission(id, deps.store);
  if (current.revision !== change.loaded) throw staleRevision(current, change.loaded);
  if (current.status === 'rejected') throw conflict('A rejected submission can no longer be edited.');
  const published = current.status === 'published';
  if (change.correction && !published)
    throw validationFailed({ 'correction.note': 'A correction is only for a published article.' });
  const editor: EditorRef = { name: actor.name, sub: actor.sub };
  const now = deps.now().toISOString();
  const revision = current.revision + 1;
  const { images: _images, approvedBy: _approval, scheduledAt: _at, scheduledBy: _by, ...rest } = current;
  const next: Article = {
    ...rest,
    ...change.text,
    // An edit clears 初审, and takes a scheduled article off the schedule: the new text is scheduled anew.
    status:
      current.status === 'approved'
        ? 'pending'
        : current.status === 'scheduled'
          ? unscheduledStatus(rest)
          : current.status,
    revision,
    updatedAt: now,
    updatedBy: editor,
    lastEditor: editor,
    ...(published ? { modifiedAt: now } : {}),
    ...(change.correction
      ? { corrections: [...(current.corrections ?? []), { at: now, note: change.correction.note }] }
      : {}),
  };
  const saved: Revision[] = [];
  // An article from before history (seeded, imported) gets its text as it stood saved first, so the diff and the
  // restore have something to go back to.
  if ((await deps.history.revisions(id)).length === 0)
    saved.push({
      revision: current.revision,
      editor: firstAuthor(current),
      at: current.updatedAt,
      text: textOf(current),
    });
  const note = change.correction?.note ?? change.note;
  saved.push({ revision, editor, at: now, ...(note ? { note } : {}), text: change.text });
  const written = await deps.store.transition(
    next,
    { status: current.status, revision: current.revision, channel: current.channel },
    {
      audit: { action: change.action, editor, at: now, revision, ...(note ? { note } : {}) },
      revisions: saved,
    },
  );
  if (!written) {
    const newer = await deps.store.get(id);
    throw newer ? staleRevision(newer, change.loaded) : notFound('The submission');
  }
  return { id, status: next.status, revision };
}

export function editArticle(
  id: string,
  request: EditRequest,
  actor: Actor,
  deps: ReviewDeps,
): Promise<EditOutcome> {
  return saveText(
    id,
    {
      loaded: request.revision,
      text: request.text,
      action: request.correction ? 'correction' : 'edit',
      note: request.note,
      correction: request.correction,
    },
    actor,
    deps,
  );
}

/** Saves a saved revision's text as a new revision; the revisions in between stay as they were. */
export async function restoreRevision(
  id: string,
  request: RestoreRequest,
  actor: Actor,
  deps: ReviewDeps,
): Promise<EditOutcome> {
  requireEditor(actor.groups);
  const saved = await deps.history.revision(id, request.from);
  if (!saved) throw notFound(`Revision ${request.from}`);
  return saveText(
    id,
    {
      loaded: request.revision,
      text: saved.text,
      action: 'restore',
      note: `restored revision ${request.from}`,
    },
    actor,
    deps,
  );
}

/** How far each text field is kept in a draft preview: the submission limits (the save checks them). */
const DRAFT_LIMITS: Record<TextField, number> = {
  title: submissionLimits.title,
  body: submissionLimits.body,
  author: submissionLimits.author,
  source: submissionLimits.source,
  channel: 100,
  summary: submissionLimits.summary,
};

const clip = (value: string, max: number): string => {
  const chars = [...value];
  return chars.length > max ? chars.slice(0, max).join('') : value;
};

/**
 * The article as it would read with the editor's unsaved fields, for the desk's live preview while typing. Nothing
 * is stored and nothing is refused: a half-typed draft still previews. Text is cleaned and cut to the limits as a save
 * would see it; a field that is absent or not a string, an unknown channel and photos the save would refuse keep
 * the saved value. A published article shows what saving would add: 更新时间, and the 更正 box when a note is given.
 */
export function draftArticle(
  current: Article,
  input: unknown,
  now: string,
  index: ChannelIndex = channels,
): Article {
  if (!isRecord(input)) throw validationFailed({ body: 'The request must be a JSON object.' });
  const text = textFieldsOf(current);
  for (const field of TEXT_FIELDS) {
    const raw = input[field];
    if (typeof raw !== 'string') continue;
    const multiline = field === 'body' || field === 'summary';
    text[field] = clip(cleanText(raw, { multiline }), DRAFT_LIMITS[field]);
  }
  if (!index.get(text.channel)) text.channel = current.channel;
  const imageErrors = fieldErrors();
  const images = input.images === undefined ? current.images : validateImages(input.images, imageErrors);
  const published = current.status === 'published';
  const rawNote = isRecord(input.correction) ? input.correction.note : undefined;
  const note =
    typeof rawNote === 'string' ? clip(cleanText(rawNote, { multiline: true }), editLimits.note) : '';
  const { images: _saved, ...rest } = current;
  const shown = Object.keys(imageErrors).length > 0 ? current.images : images;
  return {
    ...rest,
    ...text,
    ...(shown?.length ? { images: shown } : {}),
    ...(published ? { modifiedAt: now } : {}),
    ...(published && note ? { corrections: [...(current.corrections ?? []), { at: now, note }] } : {}),
  };
}

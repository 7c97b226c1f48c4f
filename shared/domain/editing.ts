// An editor's changes to an article's text, before or after publishing: the edit (with an optional public
// correction, 更正), and the restore of a saved revision. Each keeps a saved copy and an audit entry, written in the
// transaction that changes the article; a stale revision is a 409 that names who saved the newer one.

import * as v from 'valibot';
import { type ChannelIndex, channels } from '../channels.ts';
import { check, jsonObject, optionalText, requiredText, strictObject } from '../schema.ts';
import { type Article, type ArticleText, type EditorRef, TEXT_FIELDS, type TextField } from './article.ts';
import { conflict, notFound, validationFailed } from './errors.ts';
import { fieldErrors } from './field-errors.ts';
import { type AuditAction, CONTRIBUTOR, type Revision, textFieldsOf, textOf } from './history.ts';
import { type Actor, findSubmission, loadedRevision, type ReviewDeps, staleRevision } from './review.ts';
import { requireEditor } from './roles.ts';
import { unscheduledStatus } from './scheduling.ts';
import { submissionFields, submissionLimits, toSubmission, validateImages } from './submission.ts';
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

/** A public correction (更正): `{note}`, a non-empty text. */
const correctionSchema = v.nullish(
  strictObject(
    { note: requiredText(editLimits.note, { multiline: true }) },
    'Must be an object with a note.',
  ),
);

/**
 * `{revision, title, body, author, source?, channel, summary?, images?, correction?:{note}, note?}`: the text is
 * checked by the submission's own field rules, so an edit gets the same field errors as the 投稿 page; the
 * contributor's contact is not an editor's to change (an unknown field here).
 */
const editSchema = (index: ChannelIndex) => {
  const { contact: _contact, ...text } = submissionFields(index);
  return v.pipe(
    strictObject(
      {
        ...text,
        revision: loadedRevision,
        correction: correctionSchema,
        note: optionalText(editLimits.note, { multiline: true }),
      },
      'The request must be a JSON object.',
    ),
    v.transform(
      ({ revision = 0, correction, note, ...fields }): EditRequest => ({
        revision,
        text: textOf(toSubmission(fields)),
        ...(correction?.note ? { correction: { note: correction.note } } : {}),
        ...(note ? { note } : {}),
      }),
    ),
  );
};

const defaultEditSchema = editSchema(channels);

export function validateEdit(input: unknown, index: ChannelIndex = channels): EditRequest {
  const result = check(index === channels ? defaultEditSchema : editSchema(index), input);
  if (!result.ok) throw validationFailed(result.fields);
  return result.value;
}

export interface RestoreRequest {
  readonly revision: number;
  readonly from: number;
}

/** `{revision, from}`: the revision loaded, and the saved revision to restore. */
const restoreSchema = strictObject(
  { revision: loadedRevision, from: loadedRevision },
  'The request must be a JSON object.',
);

export function validateRestore(input: unknown): RestoreRequest {
  const result = check(restoreSchema, input);
  if (!result.ok) throw validationFailed(result.fields);
  const { revision = 0, from = 0 } = result.value;
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
/** A field of a draft kept when it is text, and otherwise left out: a draft is never refused for its fields. */
const draftText = v.fallback(v.optional(v.string()), undefined);
const draftSchema = v.pipe(
  jsonObject('The request must be a JSON object.'),
  v.looseObject({
    title: draftText,
    body: draftText,
    author: draftText,
    source: draftText,
    channel: draftText,
    summary: draftText,
    images: v.optional(v.unknown()),
    correction: v.fallback(v.optional(v.looseObject({ note: draftText })), undefined),
  }),
);

export function draftArticle(
  current: Article,
  input: unknown,
  now: string,
  index: ChannelIndex = channels,
): Article {
  const result = check(draftSchema, input);
  if (!result.ok) throw validationFailed(result.fields);
  const draft = result.value;
  const text = textFieldsOf(current);
  for (const field of TEXT_FIELDS) {
    const raw = draft[field];
    if (raw === undefined) continue;
    const multiline = field === 'body' || field === 'summary';
    text[field] = clip(cleanText(raw, { multiline }), DRAFT_LIMITS[field]);
  }
  if (!index.get(text.channel)) text.channel = current.channel;
  const imageErrors = fieldErrors();
  const images = draft.images === undefined ? current.images : validateImages(draft.images, imageErrors);
  const published = current.status === 'published';
  const rawNote = draft.correction?.note;
  const note = rawNote === undefined ? '' : clip(cleanText(rawNote, { multiline: true }), editLimits.note);
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

// An editor's changes to a pending submission's photos (add, drop, reorder, recaption) before publishing. The list
// is checked by the same rules as a contributor's, and written with the same conditional write as a decision.

import * as v from 'valibot';
import { check, strictObject } from '../schema.ts';
import { conflict, validationFailed } from './errors.ts';
import { textOf } from './history.ts';
import { type Actor, findSubmission, type ReviewDeps } from './review.ts';
import { requireEditor } from './roles.ts';
import { imagesSchema } from './submission.ts';
import type { ImageRef } from './uploads.ts';

/** `{images: [{key, caption}]}`: the whole list as it should be; an empty list removes every photo. */
const photoEditSchema = strictObject(
  {
    images: v.pipe(
      v.unknown(),
      v.check((raw: unknown) => Array.isArray(raw), 'Must be a list of {key, caption}.'),
      imagesSchema,
    ),
  },
  'The request must be a JSON object with images.',
);

export function validatePhotoEdit(input: unknown): ImageRef[] {
  const result = check(photoEditSchema, input);
  if (!result.ok) throw validationFailed(result.fields);
  return result.value.images ?? [];
}

/** Replaces the photo list of a pending submission; 409 once it is decided or when another editor changed it first. */
export async function editSubmissionPhotos(
  id: string,
  images: readonly ImageRef[],
  actor: Actor,
  deps: ReviewDeps,
): Promise<{ readonly id: string; readonly images: readonly ImageRef[]; readonly revision: number }> {
  requireEditor(actor.groups);
  const current = await findSubmission(id, deps.store);
  if (current.status !== 'pending')
    throw conflict(`Photos can only change before publishing (this one is ${current.status}).`);
  const editor = { name: actor.name, sub: actor.sub };
  const at = deps.now().toISOString();
  const next = {
    ...current,
    images,
    updatedAt: at,
    updatedBy: editor,
    lastEditor: editor,
    revision: current.revision + 1,
  };
  const written = await deps.store.transition(
    next,
    { status: current.status, revision: current.revision, channel: current.channel },
    {
      audit: { action: 'edit', editor, at, revision: next.revision, note: 'photos' },
      revisions: [{ revision: next.revision, editor, at, note: 'photos', text: textOf(next) }],
    },
  );
  if (!written) throw conflict('The submission changed meanwhile; reload it and try again.');
  return { id, images, revision: next.revision };
}

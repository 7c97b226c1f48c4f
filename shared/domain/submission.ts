// Validation of a contributor's submission: the one place that decides what may enter the Articles table.

import * as v from 'valibot';
import { type ChannelIndex, channels } from '../channels.ts';
import {
  type Checked,
  characters,
  check,
  MUST_BE_STRING,
  optionalText,
  requiredText,
  strictObject,
  tooLong,
} from '../schema.ts';
import type { ArticleText } from './article.ts';
import type { FieldErrors } from './field-errors.ts';
import { cleanText } from './text.ts';
import { type ImageRef, uploadIdOf, uploadLimits } from './uploads.ts';

export const submissionLimits = {
  requestBytes: 256 * 1024,
  title: 200,
  body: 100_000,
  author: 100,
  source: 100,
  summary: 500,
  contactName: 100,
  email: 254,
} as const;

/** A contributor's article: the text an editor may later change, plus the private contact. */
export interface Submission extends ArticleText {
  readonly contact?: { readonly name?: string; readonly email?: string };
}

export type ValidationResult = Checked<Submission>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `images: [{key, caption, alt?}]`: at most 20, each key a well-formed quarantine key, no key twice. */
const KEY_MESSAGE = 'Must be the key of an upload (uploads/quarantine/<id>).';
const LIST_MESSAGE = 'Must be a list of {key, caption}.';
const imageSchema = strictObject(
  {
    key: v.pipe(
      v.nullish(v.string(KEY_MESSAGE)),
      v.check(
        (key: string | null | undefined) => typeof key === 'string' && uploadIdOf(key) !== undefined,
        KEY_MESSAGE,
      ),
      v.transform((key: string | null | undefined) => key ?? ''),
    ),
    caption: optionalText(uploadLimits.caption),
    alt: optionalText(uploadLimits.caption),
  },
  'Must be an object with key and caption.',
);

export const imagesSchema = v.pipe(
  v.nullish(v.array(v.unknown(), LIST_MESSAGE)),
  v.transform((raw: unknown[] | null | undefined) => raw ?? []),
  v.maxLength(uploadLimits.perSubmission, `At most ${uploadLimits.perSubmission} photos.`),
  v.array(imageSchema),
  // Checked even when another photo is wrong (a check after a failed item still runs): all problems at once.
  v.rawCheck(({ dataset, addIssue }) => {
    const seen = new Set<unknown>();
    const images: readonly unknown[] = Array.isArray(dataset.value) ? dataset.value : [];
    images.forEach((image, i) => {
      const key = typeof image === 'object' && image !== null ? (image as { key?: unknown }).key : undefined;
      if (typeof key !== 'string' || uploadIdOf(key) === undefined) return;
      if (seen.has(key))
        addIssue({
          message: 'This photo is already in the list.',
          path: [
            { type: 'array', origin: 'value', input: images, key: i, value: image },
            { type: 'object', origin: 'value', input: { key }, key: 'key', value: key },
          ],
        });
      seen.add(key);
    });
  }),
  // Valibot types an entry that may be absent as optional; each has its default by now.
  v.transform((images): ImageRef[] =>
    images.map(({ key = '', caption = '', alt }) => ({ key, caption, ...(alt ? { alt } : {}) })),
  ),
);

const contactSchema = v.pipe(
  v.nullish(
    strictObject(
      {
        name: optionalText(submissionLimits.contactName),
        email: v.pipe(
          optionalText(submissionLimits.email),
          v.check((email: string) => email === '' || EMAIL.test(email), 'Not an email address.'),
        ),
      },
      'Must be an object with name and/or email.',
    ),
  ),
  v.transform((raw): Submission['contact'] =>
    raw && (raw.name || raw.email)
      ? { ...(raw.name ? { name: raw.name } : {}), ...(raw.email ? { email: raw.email } : {}) }
      : undefined,
  ),
);

/** Every field of a submission and its rule, over the site's channels (an edit takes them all but `contact`). */
export const submissionFields = (index: ChannelIndex = channels) => ({
  title: requiredText(submissionLimits.title),
  body: requiredText(submissionLimits.body, { multiline: true }),
  // `author` must be present but may be empty: the seed article has none, and the page then omits it.
  author: v.pipe(
    v.nullish(v.string(MUST_BE_STRING)),
    v.check((raw: string | null | undefined) => raw !== undefined, 'Required (an empty string is allowed).'),
    v.transform((raw: string | null | undefined) => cleanText(raw ?? '', { multiline: false })),
    v.check(
      (author: string) => characters(author) <= submissionLimits.author,
      tooLong(submissionLimits.author),
    ),
  ),
  source: optionalText(submissionLimits.source),
  summary: optionalText(submissionLimits.summary, { multiline: true }),
  channel: v.pipe(
    requiredText(100),
    v.check(
      (channel: string) => index.get(channel) !== undefined,
      (issue) => `Unknown channel "${String(issue.input)}".`,
    ),
  ),
  contact: contactSchema,
  images: imagesSchema,
});

/** A checked submission's fields as the model keeps them (valibot types an entry that may be absent as optional). */
export const toSubmission = ({
  title = '',
  body = '',
  author = '',
  source = '',
  summary = '',
  channel = '',
  contact,
  images = [],
}: {
  readonly [K in keyof ArticleText]?: ArticleText[K];
} & { readonly contact?: Submission['contact'] }): Submission => ({
  title,
  body,
  author,
  source,
  channel,
  summary,
  ...(contact ? { contact } : {}),
  ...(images.length > 0 ? { images } : {}),
});

/** The submission contract over the site's channels: every field's rule, and unknown fields refused. */
export const submissionSchema = (index: ChannelIndex = channels) =>
  v.pipe(
    strictObject(submissionFields(index), 'The request must be a JSON object.'),
    v.transform((fields) => toSubmission(fields)),
  );

const defaultSchema = submissionSchema();

/**
 * Checks a parsed JSON value against the submission contract. Never throws: every problem is reported
 * per field, so a contributor can fix all of them at once.
 */
export function validateSubmission(input: unknown, index: ChannelIndex = channels): ValidationResult {
  return check(index === channels ? defaultSchema : submissionSchema(index), input);
}

/** The photo list of a submission or an edit, its problems added to `fields` under `images…`. */
export function validateImages(raw: unknown, fields: FieldErrors): ImageRef[] {
  const result = check(v.object({ images: imagesSchema }), { images: raw });
  if (result.ok) return result.value.images ?? [];
  Object.assign(fields, result.fields);
  return [];
}

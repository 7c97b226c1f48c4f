// Validation of a contributor's submission: the one place that decides what may enter the Articles table.

import { type ChannelIndex, channels } from '../channels.ts';
import { type ArticleText, TEXT_FIELDS } from './article.ts';
import { fieldErrors } from './field-errors.ts';
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

export type ValidationResult =
  | { readonly ok: true; readonly value: Submission }
  | { readonly ok: false; readonly fields: Record<string, string> };

const FIELDS = new Set<string>([...TEXT_FIELDS, 'images', 'contact']);
const IMAGE_FIELDS = new Set(['key', 'caption', 'alt']);
const CONTACT_FIELDS = new Set(['name', 'email']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const length = (s: string) => [...s].length;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a parsed JSON value against the submission contract. Never throws: every problem is reported
 * per field, so a contributor can fix all of them at once.
 */
export function validateSubmission(input: unknown, index: ChannelIndex = channels): ValidationResult {
  if (!isRecord(input)) return { ok: false, fields: { body: 'The request must be a JSON object.' } };
  const fields = fieldErrors();

  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key)) fields[key] = 'Unknown field.';
  }

  const text = (key: string, options: { required: boolean; max: number; multiline?: boolean }): string => {
    const raw = input[key];
    if (raw === undefined || raw === null) {
      if (options.required) fields[key] = 'Required.';
      return '';
    }
    if (typeof raw !== 'string') {
      fields[key] = 'Must be a string.';
      return '';
    }
    const value = cleanText(raw, { multiline: options.multiline ?? false });
    if (options.required && value === '') fields[key] = 'Must not be empty.';
    else if (length(value) > options.max) fields[key] = `Must be at most ${options.max} characters.`;
    return value;
  };

  const title = text('title', { required: true, max: submissionLimits.title });
  const body = text('body', { required: true, max: submissionLimits.body, multiline: true });
  // `author` must be present but may be empty: the seed article has none, and the page then omits it.
  if (input.author === undefined) fields.author = 'Required (an empty string is allowed).';
  const author = text('author', { required: false, max: submissionLimits.author });
  const source = text('source', { required: false, max: submissionLimits.source });
  const summary = text('summary', { required: false, max: submissionLimits.summary, multiline: true });
  const channel = text('channel', { required: true, max: 100 });
  if (channel && !fields.channel && !index.get(channel)) fields.channel = `Unknown channel "${channel}".`;

  let contact: Submission['contact'];
  if (input.contact !== undefined && input.contact !== null) {
    if (!isRecord(input.contact)) {
      fields.contact = 'Must be an object with name and/or email.';
    } else {
      const raw = input.contact;
      for (const key of Object.keys(raw)) {
        if (!CONTACT_FIELDS.has(key)) fields[`contact.${key}`] = 'Unknown field.';
      }
      const contactText = (key: 'name' | 'email', max: number): string | undefined => {
        const v = raw[key];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== 'string') {
          fields[`contact.${key}`] = 'Must be a string.';
          return undefined;
        }
        const cleaned = cleanText(v, { multiline: false });
        if (length(cleaned) > max) fields[`contact.${key}`] = `Must be at most ${max} characters.`;
        return cleaned || undefined;
      };
      const name = contactText('name', submissionLimits.contactName);
      const email = contactText('email', submissionLimits.email);
      if (email && !fields['contact.email'] && !EMAIL.test(email))
        fields['contact.email'] = 'Not an email address.';
      if (name || email) contact = { ...(name ? { name } : {}), ...(email ? { email } : {}) };
    }
  }

  const images = validateImages(input.images, fields);

  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return {
    ok: true,
    value: {
      title,
      body,
      author,
      source,
      channel,
      summary,
      ...(contact ? { contact } : {}),
      ...(images.length > 0 ? { images } : {}),
    },
  };
}

/** `images: [{key, caption, alt?}]`: at most 20, each key a well-formed quarantine key, no key twice. */
export function validateImages(raw: unknown, fields: Record<string, string>): ImageRef[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    fields.images = 'Must be a list of {key, caption}.';
    return [];
  }
  if (raw.length > uploadLimits.perSubmission) {
    fields.images = `At most ${uploadLimits.perSubmission} photos.`;
    return [];
  }
  const images: ImageRef[] = [];
  const seen = new Set<string>();
  raw.forEach((entry: unknown, i) => {
    const at = `images.${i}`;
    if (!isRecord(entry)) {
      fields[at] = 'Must be an object with key and caption.';
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!IMAGE_FIELDS.has(key)) fields[`${at}.${key}`] = 'Unknown field.';
    }
    const key = entry.key;
    if (typeof key !== 'string' || uploadIdOf(key) === undefined) {
      fields[`${at}.key`] = 'Must be the key of an upload (uploads/quarantine/<id>).';
      return;
    }
    if (seen.has(key)) fields[`${at}.key`] = 'This photo is already in the list.';
    seen.add(key);
    let caption = '';
    if (entry.caption !== undefined && entry.caption !== null) {
      if (typeof entry.caption !== 'string') fields[`${at}.caption`] = 'Must be a string.';
      else caption = cleanText(entry.caption, { multiline: false });
      if (length(caption) > uploadLimits.caption)
        fields[`${at}.caption`] = `Must be at most ${uploadLimits.caption} characters.`;
    }
    let alt = '';
    if (entry.alt !== undefined && entry.alt !== null) {
      if (typeof entry.alt !== 'string') fields[`${at}.alt`] = 'Must be a string.';
      else alt = cleanText(entry.alt, { multiline: false });
      if (length(alt) > uploadLimits.caption)
        fields[`${at}.alt`] = `Must be at most ${uploadLimits.caption} characters.`;
    }
    images.push({ key, caption, ...(alt ? { alt } : {}) });
  });
  return images;
}

// The one schema library at every boundary (valibot: request bodies, render commands, stream images, items read from
// DynamoDB), the few building blocks our contracts share, and the one mapper from its issues to the API's `fields`.
// Import valibot itself as `import * as v from 'valibot'` where a schema is written: esbuild then keeps only the
// functions used (about 6 KB); a namespace re-exported from here would pull in all of it (85 KB, measured).
import * as v from 'valibot';
import { type FieldErrors, fieldErrors } from './domain/field-errors.ts';
import { cleanText } from './domain/text.ts';

/** A checked value, or every problem by field: what each validator answers. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly fields: FieldErrors };

export const UNKNOWN_FIELD = 'Unknown field.';
export const REQUIRED = 'Required.';
export const MUST_BE_STRING = 'Must be a string.';
export const tooLong = (max: number) => `Must be at most ${max} characters.`;

/** Characters as people count them (code points), not UTF-16 units: 字 is one, 😀 is one. */
export const characters = (s: string): number => [...s].length;

/**
 * The API's `fields` from a schema's issues: the dotted path of each problem (`images.2.caption`), the root as
 * `root`, the first message per path (a field's first broken rule is the one to fix first).
 */
export function fieldsOf(issues: readonly v.BaseIssue<unknown>[], root = 'body'): FieldErrors {
  const fields = fieldErrors();
  for (const issue of issues) {
    // A key may be '' (JSON allows it): only an issue without a path is about the root.
    const path = issue.path?.length ? issue.path.map((item) => String(item.key)).join('.') : root;
    if (!(path in fields)) fields[path] = issue.message;
  }
  return fields;
}

/** Runs a schema over input and answers the value or the fields; never throws on bad input. */
export function check<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  root?: string,
): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, fields: fieldsOf(result.issues, root) };
}

/** An item's string attribute; the messages of items read back name the rule, never the value read. */
export const storedString = () => v.string('must be a string');
export const storedNumber = () => v.number('must be a number');
/** The message of an item's object (the item itself, or one inside it): also what a missing attribute is told. */
export const storedObject =
  (what = 'must be an object') =>
  (issue: v.BaseIssue<unknown>): string =>
    issue.input === undefined ? 'is missing' : what;
/** Who acted (EditorRef): `{name, sub}`. */
export const storedEditor = () =>
  v.object({ name: storedString(), sub: storedString() }, storedObject('must be an editor {name, sub}'));

/**
 * An item read back from storage (DynamoDB), through its schema. A malformed one throws, naming the item by its key
 * attributes and every problem by path (never a value: an item may hold a contributor's contact).
 */
export function readItem<S extends v.GenericSchema>(
  schema: S,
  item: unknown,
  what: string,
  keys: readonly string[],
): v.InferOutput<S> {
  const result = v.safeParse(schema, item);
  if (result.success) return result.output;
  const attributes = isRecord(item) ? item : {};
  const key = keys
    .map((name) => `${name}=${typeof attributes[name] === 'string' ? attributes[name] : '?'}`)
    .join(' ');
  const problems = Object.entries(fieldsOf(result.issues, '(item)'))
    .map(([path, message]) => `${path}: ${message}`)
    .join('; ');
  throw new Error(`Malformed ${what} (${key}): ${problems}`);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON object, whatever its fields (valibot's objects take an array as one; the API does not). */
export const jsonObject = (message: string) => v.custom<Record<string, unknown>>(isRecord, message);

/**
 * An object with exactly these fields: every unknown one is reported (valibot's strictObject stops at the first,
 * and skips `__proto__`, which JSON.parse makes an own key), so a client can fix them all at once. Every declared
 * entry runs, absent or not, so each field's own rule words what is missing (valibot would use the object's message).
 */
export function strictObject<const E extends v.ObjectEntries>(entries: E, message: string) {
  const loose = v.looseObject(entries, message);
  const run: (typeof loose)['~run'] = (dataset, config) => {
    const input = dataset.value;
    const absent = isRecord(input) ? Object.keys(entries).filter((key) => !Object.hasOwn(input, key)) : [];
    // An array is an object to valibot; to the API it is not one.
    const given = isRecord(input)
      ? { ...input, ...Object.fromEntries(absent.map((key) => [key, undefined])) }
      : Array.isArray(input)
        ? null
        : input;
    const out = loose['~run']({ ...dataset, value: given }, config);
    if (!isRecord(input)) return out;
    const unknown = Object.keys(input).filter((key) => !Object.hasOwn(entries, key));
    if (unknown.length === 0) return out;
    const issues = unknown.map(
      (key): v.BaseIssue<unknown> => ({
        kind: 'schema',
        type: 'strict_object',
        input: input[key],
        expected: 'never',
        received: `"${key}"`,
        message: UNKNOWN_FIELD,
        path: [{ type: 'object', origin: 'value', input, key, value: input[key] }],
      }),
    );
    // Unknown keys are not copied into the output: only the declared entries leave the schema.
    for (const key of unknown) if (isRecord(out.value)) delete out.value[key];
    return {
      ...out,
      typed: false,
      issues: [...(out.issues ?? []), ...issues],
    } as unknown as ReturnType<(typeof loose)['~run']>;
  };
  return Object.assign(Object.create(Object.getPrototypeOf(loose)), loose, { '~run': run }) as typeof loose;
}

/** Text as the domain keeps it: NFC-normalised, control characters stripped (shared/domain/text.ts), trimmed. */
const cleaned = (multiline: boolean) =>
  v.pipe(
    v.nullish(v.string(MUST_BE_STRING)),
    v.transform((s: string | null | undefined) => cleanText(s ?? '', { multiline })),
  );

/** Optional text up to `max` characters; absent and null are ''. */
export const optionalText = (max: number, options: { multiline?: boolean } = {}) =>
  v.pipe(
    cleaned(options.multiline ?? false),
    v.check((s: string) => characters(s) <= max, tooLong(max)),
  );

/** Required, non-empty text up to `max` characters. */
export const requiredText = (max: number, options: { multiline?: boolean; missing?: string } = {}) =>
  v.pipe(
    v.nullish(v.string(MUST_BE_STRING)),
    v.check((s: string | null | undefined) => s !== undefined && s !== null, options.missing ?? REQUIRED),
    v.transform((s: string | null | undefined) =>
      cleanText(s ?? '', { multiline: options.multiline ?? false }),
    ),
    v.nonEmpty('Must not be empty.'),
    v.check((s: string) => characters(s) <= max, tooLong(max)),
  );

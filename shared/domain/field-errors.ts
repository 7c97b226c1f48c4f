// The field → message map every validator fills. It has no prototype: a body's key is data, and on a plain object
// `fields['__proto__'] = …` is swallowed by the prototype setter, so an unknown field named `__proto__` would be
// accepted without a word.
export type FieldErrors = Record<string, string>;

export const fieldErrors = (): FieldErrors => Object.create(null) as FieldErrors;

/** Fails on every call: see linkify-off.mjs. */
export default class LinkifyIt {
  add(...args: unknown[]): never;
  set(...args: unknown[]): never;
  tlds(...args: unknown[]): never;
  pretest(...args: unknown[]): never;
  test(...args: unknown[]): never;
  testSchemaAt(...args: unknown[]): never;
  match(...args: unknown[]): never;
  matchAtStart(...args: unknown[]): never;
  normalize(...args: unknown[]): never;
  onCompile(...args: unknown[]): never;
}

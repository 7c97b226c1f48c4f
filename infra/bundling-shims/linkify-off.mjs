// Bundled in place of `linkify-it` (infra/constructs/bundling.ts, aliases). markdown-it builds a LinkifyIt in its
// constructor, and that compiles linkify-it's URL and e-mail patterns (large Unicode classes) at every cold start,
// although shared/render/markdown.ts turns linkify off and markdown-it then never calls it. Should anything call
// it, it fails loudly instead of leaving URLs unlinked without a word.
const off = () => {
  throw new Error(
    'linkify-it is not bundled (infra/bundling-shims/linkify-off.mjs): markdown linkify must stay off',
  );
};

export default class LinkifyIt {
  add = off;
  set = off;
  tlds = off;
  pretest = off;
  test = off;
  testSchemaAt = off;
  match = off;
  matchAtStart = off;
  normalize = off;
  onCompile = off;
}

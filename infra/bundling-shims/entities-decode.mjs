// Bundled in place of `entities` (infra/constructs/bundling.ts, aliases). markdown-it imports only decodeHTML and
// decodeHTMLStrict from the package's index, which also pulls in the encoder: 23 KB more to parse and a Map of every
// named entity built at each cold start. The decoder is the same module the index re-exports.
export { decodeHTML, decodeHTMLStrict } from '../../node_modules/entities/lib/esm/decode.js';

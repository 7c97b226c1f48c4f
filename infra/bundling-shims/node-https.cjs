// Bundled in place of `node:https` (infra/constructs/bundling.ts, aliases): a CommonJS require of the builtin, which
// Node serves without building the ES module facade that loads undici at every cold start.
// biome-ignore lint/style/useNodejsImportProtocol: `node:https` here would be aliased back to this file.
module.exports = require('https');

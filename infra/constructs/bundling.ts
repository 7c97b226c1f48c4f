// esbuild settings for every function, defined once: CDK bundles with them and `npm run bundle-report` reuses them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionName } from '../../shared/routes.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type LambdaName = FunctionName | 'render' | 'images' | 'search';

export const handlerEntry = (name: LambdaName): string =>
  path.join(projectRoot, 'functions', name, 'handler.ts');

/** ESM output still meets CommonJS dependencies that call require(); this banner gives them one. */
export const esmRequireBanner =
  "import { createRequire as __nodeCreateRequire } from 'node:module'; const require = __nodeCreateRequire(import.meta.url);";

export const bundlingDefaults = {
  target: 'node24',
  format: 'esm',
  platform: 'node',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  /**
   * The SDK is bundled, not taken from the runtime: see README "Architecture" for the measurement. The exceptions
   * are clients loaded on demand from the runtime: the Lambda client (no function imports it since rebuilds fan out
   * through Step Functions; bundled, it cost render ~150 KB at every cold start), and the Scheduler
   * and Secrets Manager clients, which review loads only to schedule a publish or sign a preview link
   * (shared/aws/publish-scheduler.ts, shared/aws/preview-key.ts).
   */
  externalModules: [
    '@aws-sdk/client-lambda',
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-secrets-manager',
  ] as string[],
  /**
   * esbuild `alias`, paths relative to the project root (esbuild resolves them from its working directory). The
   * SDK's ES module build imports `node:http` and `node:https` with `import`; Node 24 answers that with an ES module
   * facade that reads the builtin's lazy exports and so loads undici, about 12 ms of every cold start. The shims
   * `require` the builtins instead (the banner gives the bundle a `require`). `entities` is markdown-it's HTML
   * entity decoder: its index also builds the encoder's table of every named entity at each cold start, which
   * markdown-it never uses; the shim exports only the decoder. `linkify-it` compiles its URL patterns in the
   * constructor markdown-it always calls, though our Markdown has linkify off; its shim compiles nothing and throws if
   * used (docs/BENCHMARKS.md "Bundling and cold start").
   */
  aliases: {
    'node:http': './infra/bundling-shims/node-http.cjs',
    'node:https': './infra/bundling-shims/node-https.cjs',
    entities: './infra/bundling-shims/entities-decode.mjs',
    'linkify-it': './infra/bundling-shims/linkify-off.mjs',
  },
} as const;

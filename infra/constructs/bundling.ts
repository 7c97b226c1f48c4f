// esbuild settings for every function, defined once: CDK bundles with them and `npm run bundle-report` reuses them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionName } from '../../shared/routes.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type LambdaName = FunctionName | 'render' | 'images';

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
  /** The SDK is bundled, not taken from the runtime: see README "Architecture" for the measurement. */
  externalModules: [] as string[],
} as const;

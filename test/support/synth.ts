// The app as the infra tests synthesise it: no function is bundled (CDK's `aws:cdk:bundling-stacks`: none), so a
// template test reads templates in seconds. test/infra/bundles.test.ts is the one file that bundles.
import { App } from 'aws-cdk-lib';

export const templateApp = (context: Record<string, string> = {}): App =>
  new App({ context: { stage: 'test', 'aws:cdk:bundling-stacks': [], ...context } });

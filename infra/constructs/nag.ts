// Acknowledging a cdk-nag finding on a construct and everything below it. Every acknowledgement carries a reason.
import { Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
}

export function acknowledge(scope: IConstruct, findings: readonly Acknowledgement[]): void {
  for (const finding of findings) Validations.of(scope).acknowledge(finding);
}

/**
 * Acknowledges AwsSolutions-IAM5 for the object-level grants under `scope` whose resource ends with one of
 * `suffixes` (e.g. `/media/*`). cdk-nag names each wildcard finding by the resolved resource, which for a bucket in
 * the other stack contains a generated export name; it is only known after references are resolved, so the
 * acknowledgement is made then, from a construct validation, and only for the prefixes given here.
 */
export function acknowledgeObjectPrefixGrants(
  scope: IConstruct,
  suffixes: readonly string[],
  reason: string,
): void {
  scope.node.addValidation({
    validate: () => {
      for (const child of scope.node.findAll()) {
        if (!(child instanceof CfnPolicy)) continue;
        const document = Stack.of(child).resolve(child.policyDocument) as {
          Statement?: { Effect?: string; Resource?: unknown }[];
        };
        for (const statement of document.Statement ?? []) {
          if (statement.Effect !== 'Allow') continue;
          const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
          for (const resource of resources.map(flattenCfnReference)) {
            if (suffixes.some((suffix) => resource.endsWith(suffix)))
              Validations.of(child).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
          }
        }
      }
      return [];
    },
  });
}

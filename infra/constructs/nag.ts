// Acknowledging a cdk-nag finding on a construct and everything below it. Every acknowledgement carries a reason.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
}

export function acknowledge(scope: IConstruct, findings: readonly Acknowledgement[]): void {
  for (const finding of findings) Validations.of(scope).acknowledge(finding);
}

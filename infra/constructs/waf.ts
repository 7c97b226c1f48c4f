// The WAF in front of CloudFront: AWS's managed rule groups (IP reputation, known bad inputs, the common rule set)
// and per-client rate limits on the public API routes and on everything. A CLOUDFRONT WebACL exists only in
// us-east-1, so it is built in its own stack there (infra/stacks/edge-stack.ts).
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { type HttpMethod, routes } from '../../shared/routes.ts';

/** What a client over a limit gets: a challenge on the write routes, a JSON 429 elsewhere. */
export type RateAction = 'challenge' | 'block';

export interface RateRule {
  readonly name: string;
  /** Requests per client IP within `windowSeconds`; WAF's smallest limit is 10. */
  readonly limit: number;
  readonly windowSeconds: 60 | 120 | 300 | 600;
  /** Which requests count: a path prefix (and a method), or every request. */
  readonly scope: { readonly pathPrefix: string; readonly method?: HttpMethod } | 'all';
  readonly action: RateAction;
}

/** A path of the shared route table, so a renamed route cannot leave its rate rule behind. */
function routePath(method: HttpMethod, path: string): { pathPrefix: string; method: HttpMethod } {
  if (!routes.some((r) => r.method === method && r.path === path))
    throw new Error(`The WAF names ${method} ${path}, which is not in shared/routes.ts.`);
  return { pathPrefix: path, method };
}

/**
 * Per client IP, over 5 minutes. A contributor sends one submission with up to 20 photos (21 requests); a reader
 * sends one view per page and one count read per list page; a page view with its stylesheet, script, count and a
 * few photos is under 10 requests. The limits sit far above those and far below what a flood needs.
 */
export const wafRateRules: readonly RateRule[] = [
  {
    name: 'SubmissionsPerIp',
    limit: 20,
    windowSeconds: 300,
    scope: routePath('POST', '/api/submissions'),
    action: 'challenge',
  },
  {
    name: 'UploadsPerIp',
    limit: 100,
    windowSeconds: 300,
    scope: routePath('POST', '/api/uploads'),
    action: 'challenge',
  },
  // Both view routes: POST /api/views/{id} and GET /api/views?ids=…
  {
    name: 'ViewsPerIp',
    limit: 300,
    windowSeconds: 300,
    scope: { pathPrefix: '/api/views' },
    action: 'block',
  },
  { name: 'AllRequestsPerIp', limit: 3000, windowSeconds: 300, scope: 'all', action: 'block' },
];

/** AWS managed rule groups, in evaluation order. None of them is priced beyond the rule itself. */
export const wafManagedGroups = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesCommonRuleSet',
] as const;

/**
 * Rules of the common rule set that would refuse what the newsroom accepts: a submission or an editor's save is up to
 * 256 KiB (SizeRestrictions_BODY blocks bodies over 8 KB), so that rule only counts. The API checks sizes itself.
 */
export const commonRuleSetCountOnly = ['SizeRestrictions_BODY'] as const;

/** The JSON error body a rate-limited API client gets, in the API's own error shape. */
export const RATE_LIMITED_BODY = JSON.stringify({
  error: {
    code: 'rate_limited',
    message: 'Too many requests from this address; try again in a few minutes.',
  },
});

export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: { readonly stage: string }) {
    super(scope, id);
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `newsroom-${props.stage}-${metricName}`,
      sampledRequestsEnabled: true,
    });

    const rateRules = wafRateRules.map(
      (rule, i): CfnWebACL.RuleProperty => ({
        name: rule.name,
        priority: i,
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: rule.limit,
            evaluationWindowSec: rule.windowSeconds,
            ...(rule.scope === 'all' ? {} : { scopeDownStatement: scopeDown(rule.scope) }),
          },
        },
        action:
          rule.action === 'challenge'
            ? { challenge: {} }
            : {
                block: {
                  customResponse: {
                    responseCode: 429,
                    customResponseBodyKey: 'rateLimited',
                    responseHeaders: [{ name: 'retry-after', value: String(rule.windowSeconds) }],
                  },
                },
              },
        visibilityConfig: visibility(rule.name),
      }),
    );
    const managedRules = wafManagedGroups.map(
      (name, i): CfnWebACL.RuleProperty => ({
        name,
        priority: rateRules.length + i,
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            ...(name === 'AWSManagedRulesCommonRuleSet'
              ? {
                  ruleActionOverrides: commonRuleSetCountOnly.map((rule) => ({
                    name: rule,
                    actionToUse: { count: {} },
                  })),
                }
              : {}),
          },
        },
        overrideAction: { none: {} },
        visibilityConfig: visibility(name),
      }),
    );

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: `Newsroom ${props.stage}: managed rule groups and per-client rate limits`,
      defaultAction: { allow: {} },
      customResponseBodies: {
        rateLimited: { contentType: 'APPLICATION_JSON', content: RATE_LIMITED_BODY },
      },
      visibilityConfig: visibility('web-acl'),
      rules: [...rateRules, ...managedRules],
    });
  }
}

function scopeDown(scope: { pathPrefix: string; method?: HttpMethod }): CfnWebACL.StatementProperty {
  const path: CfnWebACL.StatementProperty = {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: 'STARTS_WITH',
      searchString: scope.pathPrefix,
      // WAF compares after these, so /API/Views and %2Fapi%2Fviews count as the same route.
      textTransformations: [
        { priority: 0, type: 'URL_DECODE' },
        { priority: 1, type: 'LOWERCASE' },
      ],
    },
  };
  if (!scope.method) return path;
  return {
    andStatement: {
      statements: [
        path,
        {
          byteMatchStatement: {
            fieldToMatch: { method: {} },
            positionalConstraint: 'EXACTLY',
            searchString: scope.method,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
      ],
    },
  };
}

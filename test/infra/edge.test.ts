// The hostile internet at the edge: the WAF (its own stack in us-east-1, on for prod), /api/* only through CloudFront
// (the origin secret), and editor sessions that end when they should (token lifetimes, flows, sign-out).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { editorSession, readDeployConfig } from '#infra/config.ts';
import { CFN_GUARD_PLUGIN } from '#infra/constructs/guard.ts';
import {
  commonRuleSetCountOnly,
  RATE_LIMITED_BODY,
  wafManagedGroups,
  wafRateRules,
} from '#infra/constructs/waf.ts';
import { EDGE_REGION, EdgeStack, WEB_ACL_ARN_OUTPUT } from '#infra/stacks/edge-stack.ts';
import {
  DESK_LOGIN_SCOPES,
  DESK_RESOURCE_SERVER,
  DESK_SCOPE,
  DESK_SCOPE_NAME,
} from '#shared/domain/roles.ts';
import { ORIGIN_SECRETS_ENV, ORIGIN_VERIFY_HEADER } from '#shared/http/origin-guard.ts';
import { routes } from '#shared/routes.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
const resources = (t: Template, type: string): [string, Resource][] =>
  Object.entries(t.findResources(type)) as [string, Resource][];
const only = (t: Template, type: string): Resource => {
  const found = resources(t, type);
  expect(found, type).toHaveLength(1);
  return (found[0] as [string, Resource])[1];
};

/** Template assertions only: no function is bundled. */
const appWith = (context: Record<string, string>) =>
  buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }));

const next = '11111111-2222-4333-8444-555555555555';
const previous = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const configOf = (context: Record<string, string>) => readDeployConfig(new App({ context }).node);

// Two apps only (each takes a minute or more to build on a loaded machine): prod with its defaults, and a test stage
// (no WAF by default) in the middle of an origin-secret rotation.
let prod: ReturnType<typeof buildApp>;
let edge: Template;
let site: Template;
let test: ReturnType<typeof buildApp>;
let testSite: Template;

beforeAll(() => {
  prod = appWith({ stage: 'prod' });
  if (!prod.edge) throw new Error('prod has no Edge stack');
  edge = Template.fromStack(prod.edge);
  site = Template.fromStack(prod.site);
  test = appWith({ stage: 'test', originSecretVersion: next, originSecretPreviousVersion: previous });
  testSite = Template.fromStack(test.site);
}, 1_200_000);

type Rule = {
  Name: string;
  Priority: number;
  Action?: Record<string, unknown>;
  OverrideAction?: Record<string, unknown>;
  Statement: {
    RateBasedStatement?: {
      Limit: number;
      AggregateKeyType: string;
      EvaluationWindowSec: number;
      ScopeDownStatement?: unknown;
    };
    ManagedRuleGroupStatement?: {
      VendorName: string;
      Name: string;
      RuleActionOverrides?: { Name: string; ActionToUse: Record<string, unknown> }[];
    };
  };
};

const distributionConfig = (t: Template) =>
  only(t, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
    WebACLId?: unknown;
    Origins: { DomainName: unknown; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[];
  };

describe('the WAF (Edge stack, us-east-1)', () => {
  it('is on by default for prod, in its own stack in us-east-1, deployed before the Site stack', () => {
    expect(prod.edge?.region).toBe(EDGE_REGION);
    expect(prod.edge?.stackName).toBe('Newsroom-prod-Edge');
    expect(prod.site.dependencies).toContain(prod.edge);
    const acl = only(edge, 'AWS::WAFv2::WebACL');
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
    edge.hasOutput(WEB_ACL_ARN_OUTPUT, {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebAcl'), 'Arn'] },
    });
  });

  it("attaches the WebACL to the distribution through the Edge stack's output, read cross-region", () => {
    expect(distributionConfig(site).WebACLId).toEqual({
      'Fn::GetStackOutput': {
        StackName: 'Newsroom-prod-Edge',
        OutputName: WEB_ACL_ARN_OUTPUT,
        Region: EDGE_REGION,
      },
    });
  });

  it('rate-limits each client IP on submissions and uploads (challenge), views and everything (JSON 429)', () => {
    const rules = only(edge, 'AWS::WAFv2::WebACL').Properties.Rules as Rule[];
    const byName = new Map(rules.map((r) => [r.Name, r]));
    const rate = (name: string) => {
      const rule = byName.get(name);
      expect(rule, name).toBeDefined();
      expect(rule?.Statement.RateBasedStatement?.AggregateKeyType).toBe('IP');
      return rule as Rule;
    };
    const scopeOf = (rule: Rule) => JSON.stringify(rule.Statement.RateBasedStatement?.ScopeDownStatement);

    const submissions = rate('SubmissionsPerIp');
    expect(submissions.Action).toEqual({ Challenge: {} });
    expect(scopeOf(submissions)).toContain('"SearchString":"/api/submissions"');
    expect(scopeOf(submissions)).toContain('"SearchString":"POST"');
    expect(submissions.Statement.RateBasedStatement?.Limit).toBe(20);

    const uploads = rate('UploadsPerIp');
    expect(uploads.Action).toEqual({ Challenge: {} });
    expect(scopeOf(uploads)).toContain('"SearchString":"/api/uploads"');

    const views = rate('ViewsPerIp');
    expect(scopeOf(views)).toContain('"SearchString":"/api/views"');
    // Case and percent-encoding do not escape the count: WAF decodes and lower-cases the path before matching.
    expect(scopeOf(views)).toContain('"Type":"URL_DECODE"');
    expect(scopeOf(views)).toContain('"Type":"LOWERCASE"');
    expect(views.Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 429 } } });

    const all = rate('AllRequestsPerIp');
    expect(all.Statement.RateBasedStatement?.ScopeDownStatement).toBeUndefined();
    expect(all.Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 429 } } });

    const acl = only(edge, 'AWS::WAFv2::WebACL').Properties as {
      CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
    };
    expect(acl.CustomResponseBodies.rateLimited).toEqual({
      ContentType: 'APPLICATION_JSON',
      Content: RATE_LIMITED_BODY,
    });
    expect(JSON.parse(RATE_LIMITED_BODY)).toMatchObject({ error: { code: 'rate_limited' } });
    // Every rule's path is a route of the shared table.
    for (const rule of wafRateRules)
      if (rule.scope !== 'all') {
        const prefix = rule.scope.pathPrefix;
        expect(
          routes.some((r) => r.path.startsWith(prefix)),
          prefix,
        ).toBe(true);
      }
  });

  it("runs AWS's IP reputation, known-bad-inputs and common rule sets, the body-size rule counting only", () => {
    const rules = only(edge, 'AWS::WAFv2::WebACL').Properties.Rules as Rule[];
    const managed = rules.filter((r) => r.Statement.ManagedRuleGroupStatement);
    expect(managed.map((r) => r.Statement.ManagedRuleGroupStatement?.Name)).toEqual([...wafManagedGroups]);
    expect(wafManagedGroups).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesCommonRuleSet',
    ]);
    for (const rule of managed) {
      expect(rule.Statement.ManagedRuleGroupStatement?.VendorName).toBe('AWS');
      expect(rule.OverrideAction).toEqual({ None: {} });
    }
    const common = managed.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet');
    // A 256 KiB submission must pass; the API checks sizes itself.
    expect(common?.Statement.ManagedRuleGroupStatement?.RuleActionOverrides).toEqual(
      commonRuleSetCountOnly.map((name) => ({ Name: name, ActionToUse: { Count: {} } })),
    );
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
  });

  it('is absent unless asked for outside prod, and can be switched off for prod', () => {
    expect(test.edge).toBeUndefined();
    expect(test.app.node.tryFindChild('Newsroom-test-Edge')).toBeUndefined();
    testSite.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(distributionConfig(testSite).WebACLId).toBeUndefined();
    expect(configOf({ stage: 'prod' }).waf).toBe(true);
    expect(configOf({ stage: 'prod', waf: 'false' }).waf).toBe(false);
    expect(configOf({ stage: 'test' }).waf).toBe(false);
    expect(configOf({ stage: 'test', waf: 'true' }).waf).toBe(true);
    expect(() => configOf({ stage: 'test', waf: 'yes' })).toThrow(/"waf" must be true or false/);
    // The Edge stack refuses any region but us-east-1, where CloudFront's WAF lives.
    const elsewhere = new App();
    expect(() => new EdgeStack(elsewhere, 'Edge', { env: { region: 'eu-west-1' }, stage: 'test' })).toThrow(
      /us-east-1/,
    );
  });

  it('leaves cdk-nag clean, with CloudFront’s no-WAF finding acknowledged only when there is no WAF', () => {
    const report = new AwsSolutionsChecks(prod.app).validateScope(prod.app);
    const errors = report.violations.filter((v) => v.severity === 'error' || v.severity === undefined);
    expect(errors.map((v) => v.ruleName)).toEqual([]);
    const acknowledged = (app: App) =>
      app.node
        .findAll()
        .flatMap((c) => c.node.metadata)
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .flatMap((m) => Object.keys(m.data as Record<string, string>));
    expect(acknowledged(prod.app)).not.toContain('Annotation::AwsSolutions-CFR2');
    expect(acknowledged(test.app)).toContain('Annotation::AwsSolutions-CFR2');
  });

  it('passes the Control Tower rules (cfn-guard) at synth with the Edge stack', { timeout: 300_000 }, () => {
    const assembly = prod.app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'Newsroom-prod-Data',
      'Newsroom-prod-Edge',
      'Newsroom-prod-Site',
    ]);
    const report = JSON.parse(
      readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    const guard = report.pluginReports.find((r) => r.pluginName === CFN_GUARD_PLUGIN);
    expect(guard?.violations).toEqual([]);
    expect(guard?.conclusion).toBe('success');
  });
});

describe('/api/* only through CloudFront (origin secret)', () => {
  const serviceOf = (f: Resource) =>
    (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;

  it('has CloudFront send the secret from Secrets Manager to the API origin, resolved at deploy', () => {
    // The site stack's other secret is the preview links' signing key (PublishSchedules).
    const secrets = resources(site, 'AWS::SecretsManager::Secret').filter(([id]) =>
      id.startsWith('OriginSecret'),
    );
    expect(secrets).toHaveLength(1);
    const [secretId, secret] = secrets[0] as [string, Resource];
    expect(secret.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 48,
      ExcludePunctuation: true,
    });
    const apiOrigin = distributionConfig(site).Origins.find((o) =>
      JSON.stringify(o.DomainName).includes('execute-api'),
    );
    const headers = apiOrigin?.OriginCustomHeaders ?? [];
    expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
    const value = JSON.stringify(headers[0]?.HeaderValue);
    expect(value).toContain('{{resolve:secretsmanager:');
    expect(value).toContain(secretId);
    // The S3 origin gets no secret.
    const others = distributionConfig(site).Origins.filter((o) => o !== apiOrigin);
    for (const origin of others) expect(origin.OriginCustomHeaders).toBeUndefined();
  });

  it('gives every function behind the API, and only those, the values to check', () => {
    const apiFunctions = new Set(routes.map((r) => r.fn));
    const functions = resources(site, 'AWS::Lambda::Function').filter(([, f]) => serviceOf(f)?.SERVICE_NAME);
    const guarded = functions.filter(([, f]) => serviceOf(f)?.[ORIGIN_SECRETS_ENV] !== undefined);
    expect(guarded.map(([, f]) => serviceOf(f)?.SERVICE_NAME).sort()).toEqual([...apiFunctions].sort());
    for (const [, f] of guarded)
      expect(JSON.stringify(serviceOf(f)?.[ORIGIN_SECRETS_ENV])).toContain('{{resolve:secretsmanager:');
  });

  it('rotates by version: CloudFront sends the new one, the API accepts both until the next deploy', () => {
    const apiOrigin = distributionConfig(testSite).Origins.find((o) => o.OriginCustomHeaders);
    const sent = JSON.stringify(apiOrigin?.OriginCustomHeaders?.[0]?.HeaderValue);
    expect(sent).toContain(next);
    expect(sent).not.toContain(previous);
    const [, submit] =
      resources(testSite, 'AWS::Lambda::Function').find(([, f]) => serviceOf(f)?.SERVICE_NAME === 'submit') ??
      [];
    const accepted = JSON.stringify(submit && serviceOf(submit)?.[ORIGIN_SECRETS_ENV]);
    expect(accepted).toContain(next);
    expect(accepted).toContain(previous);
    // Outside a rotation (prod here) CloudFront and the API use the current version only.
    expect(JSON.stringify(distributionConfig(site).Origins)).not.toContain(next);
    expect(() => configOf({ stage: 'test', originSecretVersion: 'v2' })).toThrow(/version id/);
    expect(() => configOf({ stage: 'test', originSecretPreviousVersion: previous })).toThrow(/needs/);
  });
});

describe('editor sessions', () => {
  type Client = {
    AccessTokenValidity: number;
    IdTokenValidity: number;
    RefreshTokenValidity: number;
    TokenValidityUnits: { AccessToken: string; IdToken: string; RefreshToken: string };
    ExplicitAuthFlows: string[];
    AllowedOAuthFlows: string[];
    AllowedOAuthFlowsUserPoolClient: boolean;
    WriteAttributes: string[];
    GenerateSecret: boolean;
    EnableTokenRevocation: boolean;
    LogoutURLs: unknown;
    CallbackURLs: unknown;
  };
  const client = () => only(site, 'AWS::Cognito::UserPoolClient').Properties as unknown as Client;

  it('issues ID and access tokens for at most 15 minutes and a refresh token for an hour', () => {
    const c = client();
    expect(c.TokenValidityUnits).toEqual({
      AccessToken: 'minutes',
      IdToken: 'minutes',
      RefreshToken: 'minutes',
    });
    expect(c.AccessTokenValidity).toBeLessThanOrEqual(15);
    expect(c.IdTokenValidity).toBeLessThanOrEqual(15);
    expect(c.AccessTokenValidity).toBe(editorSession.tokenMinutes);
    expect(c.RefreshTokenValidity).toBe(60);
    expect(c.EnableTokenRevocation).toBe(true);
  });

  it('allows only the authorization code flow and token refresh: no implicit, password, SRP or custom flow', () => {
    const c = client();
    expect(c.AllowedOAuthFlows).toEqual(['code']);
    expect(c.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(c.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(c.GenerateSecret).toBe(false);
  });

  it('lets editors write only locale and zoneinfo, not the name printed as 责任编辑', () => {
    expect(client().WriteAttributes.sort()).toEqual(['locale', 'zoneinfo']);
  });

  it('requires the desk scope on every editor route, and no route without it is an editor route', () => {
    const editorKeys = routes.filter((r) => r.access === 'editor').map((r) => `${r.method} ${r.path}`);
    const all = resources(site, 'AWS::ApiGatewayV2::Route');
    for (const [, route] of all) {
      const key = String(route.Properties.RouteKey);
      if (editorKeys.includes(key)) {
        expect(route.Properties.AuthorizationType, key).toBe('JWT');
        expect(route.Properties.AuthorizationScopes, key).toEqual([DESK_SCOPE]);
      } else expect(route.Properties.AuthorizationScopes, key).toBeUndefined();
    }
    expect(all.filter(([, r]) => r.Properties.AuthorizationScopes)).toHaveLength(editorKeys.length);
    // Access tokens carry client_id instead of aud: the authorizer's audience is the desk's app client.
    const [, authorizer] = resources(site, 'AWS::ApiGatewayV2::Authorizer')[0] as [string, Resource];
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration)).toContain('EditorClient');
  });

  it('defines the desk scope on the pool and lets the app client ask for it (and openid, profile only)', () => {
    const server = only(site, 'AWS::Cognito::UserPoolResourceServer').Properties;
    expect(server.Identifier).toBe(DESK_RESOURCE_SERVER);
    expect(server.Scopes).toEqual([expect.objectContaining({ ScopeName: DESK_SCOPE_NAME })]);
    const scopes = only(site, 'AWS::Cognito::UserPoolClient').Properties.AllowedOAuthScopes as unknown[];
    expect(JSON.stringify(scopes)).toContain(`/${DESK_SCOPE_NAME}`);
    expect(scopes.filter((s) => typeof s === 'string').sort()).toEqual(['openid', 'profile']);
    expect(DESK_LOGIN_SCOPES).toEqual(['openid', 'profile', DESK_SCOPE]);
    // review reads an access token's preferred_username from the managed login's userInfo.
    const review = resources(site, 'AWS::Lambda::Function').find(
      ([, f]) =>
        (f.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables?.SERVICE_NAME ===
        'review',
    )?.[1];
    const reviewEnv = (review?.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    expect(reviewEnv?.EDITOR_LOGIN_DOMAIN).toBeDefined();
  });

  it("sends the managed login's sign-out back to the desk", () => {
    expect(JSON.stringify(client().LogoutURLs)).toMatch(/\/admin\/"/);
    expect(JSON.stringify(client().CallbackURLs)).toMatch(/\/admin\/"/);
  });
});

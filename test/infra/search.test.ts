// 站内搜索 in the template: the search function (arm64, one instance), the rule that is its debounce, what it may
// write, and the second response-headers policy for /search/ and /pagefind/. Pagefind's arm64 binary beside the
// bundle: test/infra/bundles.test.ts.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { contentSecurityPolicy, SEARCH_POLICY_PATHS, searchContentSecurityPolicy } from '#shared/headers.ts';
import { SEARCH_INDEX_PREFIX } from '#shared/search/publish-index.ts';
import { REINDEX_COMMAND, SEARCH_REINDEX_INTERVAL_SECONDS } from '#shared/search/reindex.ts';
import { SEARCH_FUNCTION_MEMORY_MB } from '#shared/search/split-index.ts';
import { templateApp } from '../support/synth.ts';

let site: Template;

beforeAll(() => {
  site = Template.fromStack(buildApp(templateApp()).site);
}, 900_000);

const functionNamed = (name: string) =>
  Object.entries(site.findResources('AWS::Lambda::Function')).find(
    ([, f]) => f.Properties.Environment?.Variables?.SERVICE_NAME === name,
  );

describe('site search in AWS', () => {
  it('runs the search function on arm64 Node 24, one instance at a time, with the time a large index needs', () => {
    const found = functionNamed('search');
    expect(found).toBeDefined();
    const props = found?.[1].Properties;
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.ReservedConcurrentExecutions).toBe(1);
    expect(props.Timeout).toBe(900);
    // The memory every index part's build is sized under (SEARCH_PART_MAX_ARTICLES, docs/SEARCH.md).
    expect(props.MemorySize).toBe(SEARCH_FUNCTION_MEMORY_MB);
    expect(SEARCH_FUNCTION_MEMORY_MB).toBe(4096);
    expect(Object.keys(props.Environment.Variables)).toEqual(
      expect.arrayContaining(['ARTICLES_TABLE', 'SITE_BUCKET', 'DISTRIBUTION_ID']),
    );
  });

  it('debounces with a rule: the reindex command every SEARCH_REINDEX_INTERVAL_SECONDS, never retried or queued', () => {
    expect(SEARCH_REINDEX_INTERVAL_SECONDS).toBe(60);
    const rules = Object.values(site.findResources('AWS::Events::Rule'));
    const reindex = rules.filter((r) =>
      (r.Properties.Targets as { Input?: string }[]).some(
        (t) => t.Input && JSON.parse(t.Input).command === REINDEX_COMMAND.command,
      ),
    );
    expect(reindex).toHaveLength(1);
    const rule = reindex[0];
    expect(rule?.Properties.ScheduleExpression).toBe('rate(1 minute)');
    const [target] = rule?.Properties.Targets ?? [];
    expect(JSON.parse(target.Input)).toEqual(REINDEX_COMMAND);
    expect(JSON.stringify(target.Arn)).toContain(functionNamed('search')?.[0]);
    expect(target.RetryPolicy).toEqual({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: SEARCH_REINDEX_INTERVAL_SECONDS,
    });
  });

  it('lets the search function write only the index and its own state object', () => {
    const [logicalId] = functionNamed('search') ?? [];
    const policies = Object.values(site.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(logicalId?.replace(/Fn[0-9A-F]+$/, '') ?? '-'),
    );
    const statements = policies.flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const writes = statements.filter((s) => [s.Action].flat().some((a) => a === 's3:PutObject'));
    expect(writes.length).toBeGreaterThan(0);
    const resources = JSON.stringify(writes.map((s) => s.Resource));
    expect(resources).toContain(`/${SEARCH_INDEX_PREFIX}*`);
    expect(resources).toContain('_state/search-index.json');
    expect(resources).not.toMatch(/"\/\*"/);
  });

  it('serves /search/* and /pagefind/* with a second policy that adds only wasm-unsafe-eval', () => {
    expect(searchContentSecurityPolicy).toBe(
      contentSecurityPolicy.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"),
    );
    const policies = site.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    // An Fn::Join: connect-src names the managed login's domain, a token until deploy.
    const cspOf = (id: string): string =>
      JSON.stringify(
        policies[id]?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
          .ContentSecurityPolicy,
      );
    const ids = Object.keys(policies);
    const searchPolicies = ids.filter((id) => cspOf(id).includes("'wasm-unsafe-eval'"));
    expect(searchPolicies).toHaveLength(1);
    const distribution = Object.values(site.findResources('AWS::CloudFront::Distribution'))[0];
    const config = distribution?.Properties.DistributionConfig;
    // The default (every page but search) keeps the strict policy.
    expect(JSON.stringify(config.DefaultCacheBehavior.ResponseHeadersPolicyId)).not.toContain(
      searchPolicies[0],
    );
    for (const prefix of SEARCH_POLICY_PATHS) {
      const behaviour = config.CacheBehaviors.find(
        (b: { PathPattern: string }) => b.PathPattern === `${prefix}*`,
      );
      expect(behaviour, prefix).toBeDefined();
      expect(JSON.stringify(behaviour.ResponseHeadersPolicyId)).toContain(searchPolicies[0]);
      // Same origin and directory-index function as every other page.
      expect(behaviour.TargetOriginId).toBe(config.DefaultCacheBehavior.TargetOriginId);
      expect(behaviour.FunctionAssociations).toEqual(config.DefaultCacheBehavior.FunctionAssociations);
    }
    const others = config.CacheBehaviors.filter(
      (b: { PathPattern: string }) => !SEARCH_POLICY_PATHS.some((p) => b.PathPattern === `${p}*`),
    );
    for (const b of others)
      expect(JSON.stringify(b.ResponseHeadersPolicyId)).not.toContain(searchPolicies[0]);
  });
});

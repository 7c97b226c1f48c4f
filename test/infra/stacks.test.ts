import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '#infra/constructs/timeouts.ts';
import { contentSecurityPolicy } from '#shared/headers.ts';
import { type Route, routeKey, routes, routeThrottles } from '#shared/routes.ts';
import { STATE_PREFIX, siteRequestFunctionSource } from '#shared/site-paths.ts';
import { renderStreamFilters } from '#shared/stream-settings.ts';
import { templateApp } from '../support/synth.ts';

let data: Template;
let site: Template;
let app: App;

beforeAll(() => {
  app = templateApp();
  const built = buildApp(app);
  data = Template.fromStack(built.data);
  site = Template.fromStack(built.site);
});

describe('stateful stack', () => {
  it('keeps Articles with a NEW_AND_OLD_IMAGES stream, PITR, both indexes, and RETAIN', () => {
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: Match.arrayWith([
          Match.objectLike({
            IndexName: 'byChannel',
            KeySchema: [
              { AttributeName: 'listChannel', KeyType: 'HASH' },
              { AttributeName: 'publishedKey', KeyType: 'RANGE' },
            ],
          }),
          Match.objectLike({ IndexName: 'byStatus' }),
        ]),
      }),
    });
  });

  it("keeps bodies and contributors' contacts out of both Articles indexes (INCLUDE projections)", () => {
    const [articles] = Object.values(data.findResources('AWS::DynamoDB::Table')).filter(
      (t) => t.Properties.StreamSpecification,
    );
    const indexes = articles?.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      Projection: { ProjectionType: string; NonKeyAttributes: string[] };
    }[];
    expect(indexes.map((i) => i.IndexName).sort()).toEqual(['byChannel', 'byStatus']);
    for (const index of indexes) {
      expect(index.Projection.ProjectionType).toBe('INCLUDE');
      expect(index.Projection.NonKeyAttributes).toContain('title');
      expect(index.Projection.NonKeyAttributes).not.toContain('body');
      expect(index.Projection.NonKeyAttributes).not.toContain('contact');
      expect(index.Projection.NonKeyAttributes).not.toContain('images');
    }
  });

  it('expires pending and rejected submissions with a TTL on Articles', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('keeps Counters apart, without a stream', () => {
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        StreamSpecification: Match.absent(),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    });
  });

  it('makes the site bucket private, versioned, encrypted, logged and retained', () => {
    data.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: Match.objectLike({}),
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'site-bucket/' }),
      }),
    });
  });

  it('enforces TLS on the bucket and lets only this account’s CloudFront read it', () => {
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const cloudfront = statements.find((s) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(cloudfront).toMatchObject({ Effect: 'Allow', Action: 's3:GetObject' });
    expect(cloudfront.Condition.StringEquals).toHaveProperty(['AWS:SourceAccount']);
  });

  it("denies CloudFront render's state (_state/) in the bucket policy, whatever the function does", () => {
    const statements = Object.values(data.findResources('AWS::S3::BucketPolicy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const deny = statements.filter(
      (s) => s.Effect === 'Deny' && s.Principal?.Service === 'cloudfront.amazonaws.com',
    );
    expect(deny).toHaveLength(1);
    expect(deny[0]).toMatchObject({ Action: 's3:GetObject' });
    expect(JSON.stringify(deny[0].Resource)).toContain(`/${STATE_PREFIX}*`);
  });

  it('has an editor user pool without self sign-up, with MFA, retained', () => {
    data.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
      }),
    });
  });
});

describe('stateless stack', () => {
  it('runs every function on nodejs24.x, arm64, with source maps and a retained log group', () => {
    const functions = Object.values(site.findResources('AWS::Lambda::Function'));
    const ours = functions.filter((f) => f.Properties.Environment?.Variables?.SERVICE_NAME);
    expect(ours.length).toBeGreaterThan(0);
    for (const fn of ours) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: expect.anything() });
    }
    site.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives each function the timeout of the one table the local runtime also uses', () => {
    const ours = Object.values(site.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.SERVICE_NAME,
    );
    const timeouts = Object.fromEntries(
      ours.map((f) => [f.Properties.Environment.Variables.SERVICE_NAME, f.Properties.Timeout]),
    );
    expect(timeouts).toEqual(FUNCTION_TIMEOUT_SECONDS);
  });

  it('creates exactly the routes of the shared route table, editor routes behind the JWT authorizer', () => {
    const deployed = Object.values(site.findResources('AWS::ApiGatewayV2::Route'));
    expect(deployed.map((r) => r.Properties.RouteKey).sort()).toEqual(routes.map(routeKey).sort());
    for (const route of deployed) {
      const table: readonly Route[] = routes;
      const shared = table.find((r) => routeKey(r) === route.Properties.RouteKey);
      expect(route.Properties.AuthorizationType).toBe(shared?.access === 'editor' ? 'JWT' : 'NONE');
    }
  });

  it('throttles the stage and the submission route', () => {
    site.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: Match.anyValue() }),
      RouteSettings: Match.objectLike({
        'POST /api/submissions': {
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
        },
      }),
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('throttles both view routes below the stage, so views cannot take the whole API', () => {
    const stage = Object.values(site.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const settings = stage?.Properties.RouteSettings as Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    >;
    const stageRate = stage?.Properties.DefaultRouteSettings.ThrottlingRateLimit as number;
    for (const key of ['POST /api/views/{id}', 'GET /api/views']) {
      expect(settings[key], key).toEqual({
        ThrottlingRateLimit: routeThrottles[key as keyof typeof routeThrottles]?.rate,
        ThrottlingBurstLimit: routeThrottles[key as keyof typeof routeThrottles]?.burst,
      });
      expect(settings[key]?.ThrottlingRateLimit, key).toBeLessThan(stageRate);
    }
  });

  it('grants submit only PutItem and GetItem on Articles, and PutItem on History', () => {
    const policies = Object.values(site.findResources('AWS::IAM::Policy'));
    const submitPolicy = policies.find((p) => JSON.stringify(p).includes('SubmitRole'));
    const dynamo = submitPolicy?.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
      JSON.stringify(s.Action).includes('dynamodb'),
    );
    expect(dynamo).toHaveLength(2);
    expect(dynamo[0].Action).toEqual(['dynamodb:PutItem', 'dynamodb:GetItem']);
    expect(JSON.stringify(dynamo[0].Resource)).toContain('Articles');
    expect(dynamo[1].Action).toBe('dynamodb:PutItem');
    expect(JSON.stringify(dynamo[1].Resource)).toContain('History');
  });

  it('fronts the bucket with OAC and /api/* with the HTTP API, uncached', () => {
    site.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
        CacheBehaviors: Match.arrayWith([
          Match.objectLike({ PathPattern: '/api/views', AllowedMethods: ['GET', 'HEAD'] }),
          Match.objectLike({
            PathPattern: '/api/*',
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
            AllowedMethods: Match.arrayWith(['POST']),
          }),
        ]),
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 404, ResponsePagePath: '/404.html', ErrorCachingMinTTL: 60 },
        ],
      }),
    });
  });

  it('sets the shared strict headers policy', () => {
    site.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ Override: true, Preload: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
    // The shared policy, with the editors' managed login added to connect-src (the desk's token exchange).
    const [policy] = Object.values(site.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const csp = JSON.stringify(
      policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    );
    expect(csp).toContain(contentSecurityPolicy.split("connect-src 'self'")[0]);
    expect(csp).toContain(`connect-src 'self' https://`);
    expect(csp).toContain('amazoncognito.com');
    expect(csp).toContain('"Override":true');
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toContain('unsafe-inline');
  });

  it('answers old URLs at the edge: the shared site-request source, reading the redirect KeyValueStore', () => {
    const stores = site.findResources('AWS::CloudFront::KeyValueStore');
    expect(Object.keys(stores)).toHaveLength(1);
    const [storeId] = Object.keys(stores);
    const storeRef = { 'Fn::GetAtt': [storeId, 'Id'] };
    // The deployed code is exactly the shared source, with the store's id where the placeholder is.
    const [before, after] = siteRequestFunctionSource('\u0000').split('\u0000');
    site.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: { 'Fn::Join': ['', [before, storeRef, after]] },
      FunctionConfig: Match.objectLike({
        Runtime: 'cloudfront-js-2.0',
        KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [storeId, 'Arn'] } }],
      }),
    });
    // …and it runs on every page request of the default (S3) behaviour.
    const functions = site.findResources('AWS::CloudFront::Function', {
      Properties: { FunctionConfig: Match.objectLike({ KeyValueStoreAssociations: Match.anyValue() }) },
    });
    const [functionId] = Object.keys(functions);
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          FunctionAssociations: [
            { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
          ],
        }),
      }),
    });
    site.hasOutput('RedirectStoreArn', { Value: { 'Fn::GetAtt': [storeId, 'Arn'] } });
  });

  it('alarms on a non-empty render DLQ', () => {
    site.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('defines the render stream filter once, for published and unpublished changes and processed photos', () => {
    // Lambda allows 5 filters per event source mapping without a quota increase.
    expect(renderStreamFilters).toHaveLength(3);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged errors in either stack', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const errors = report.violations.filter((v) => v.severity === 'error' || v.severity === undefined);
    expect(
      errors.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`),
    ).toEqual([]);
  });

  it('does flag a non-compliant resource, so a clean report means something', () => {
    const probe = new App();
    new Bucket(new Stack(probe, 'Probe'), 'Open');
    const report = new AwsSolutionsChecks(probe).validateScope(probe);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-S10');
  });

  it('gives a reason for every acknowledgement', () => {
    const acks: { id: string; reason: string }[] = [];
    for (const construct of app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
          acks.push({ id, reason });
      }
    }
    expect(acks.map((a) => a.id)).toContain('Annotation::AwsSolutions-S1');
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(20);
  });
});

describe('deploy context', () => {
  it('rejects a custom domain without its certificate', () => {
    expect(() => buildApp(new App({ context: { stage: 'x', domainName: 'news.example.cn' } }))).toThrow(
      /certificateArn/,
    );
  });
  // A whole app synthesized again (all stacks, cfn-guard, no bundling): seconds, more on a busy machine.
  it('uses the custom domain with TLS 1.2 when given', { timeout: 180_000 }, () => {
    const built = buildApp(
      templateApp({
        stage: 'prod',
        domainName: 'news.example.cn',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      }),
    );
    Template.fromStack(built.site).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['news.example.cn'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
  });
});

describe('review function', () => {
  const reviewRoutes = routes.filter((r) => r.fn === 'review');

  it('puts every /api/admin/* route, and only those, behind the JWT authorizer', () => {
    // The public review routes carry their own check in the path: the preview's photos (a grant) and a shared
    // preview link (a signed, expiring token).
    expect(reviewRoutes.filter((r) => r.access === 'public').map(routeKey)).toEqual([
      'GET /api/photo-previews/{token}/{upload}/{file}',
      'GET /api/previews/{token}',
    ]);
    expect(
      reviewRoutes
        .filter((r) => r.access === 'editor')
        .map(routeKey)
        .sort(),
    ).toEqual(
      [
        'GET /api/admin/session',
        'GET /api/admin/submissions',
        'GET /api/admin/submissions/{id}',
        'GET /api/admin/submissions/{id}/preview',
        'POST /api/admin/submissions/{id}/preview',
        'POST /api/admin/submissions/{id}/publish',
        'POST /api/admin/submissions/{id}/reject',
        'POST /api/admin/submissions/{id}/unpublish',
        'PUT /api/admin/submissions/{id}/images',
        'PUT /api/admin/submissions/{id}',
        'GET /api/admin/submissions/{id}/revisions',
        'GET /api/admin/submissions/{id}/revisions/{n}',
        'POST /api/admin/submissions/{id}/restore',
        'POST /api/admin/submissions/{id}/approve',
        'GET /api/admin/submissions/{id}/history',
        'POST /api/admin/submissions/{id}/schedule',
        'POST /api/admin/submissions/{id}/unschedule',
        'POST /api/admin/submissions/{id}/preview-link',
        'DELETE /api/admin/submissions/{id}/preview-links',
      ].sort(),
    );
    const deployed = Object.values(site.findResources('AWS::ApiGatewayV2::Route'));
    for (const route of deployed) {
      const admin = String(route.Properties.RouteKey).includes(' /api/admin/');
      expect(route.Properties.AuthorizationType).toBe(admin ? 'JWT' : 'NONE');
      if (admin) expect(route.Properties.AuthorizerId).toBeDefined();
    }
    site.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: Match.objectLike({ Audience: [Match.anyValue()], Issuer: Match.anyValue() }),
    });
  });

  it('grants review GetItem and UpdateItem on Articles and Query on byStatus only: no put, no delete', () => {
    const policies = Object.values(site.findResources('AWS::IAM::Policy'));
    const reviewPolicy = policies.find((p) => JSON.stringify(p.Properties.Roles).includes('ReviewRole'));
    // History (append and read) is asserted in test/infra/least-privilege.test.ts.
    const dynamo: { Action: string[] | string; Resource: unknown }[] =
      reviewPolicy?.Properties.PolicyDocument.Statement.filter(
        (s: { Action: unknown; Resource: unknown }) =>
          JSON.stringify(s.Action).includes('dynamodb') && !JSON.stringify(s.Resource).includes('History'),
      ) ?? [];
    const actions = dynamo.flatMap((s) => s.Action).sort();
    expect(actions).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const query = dynamo.find((s) => s.Action === 'dynamodb:Query' || s.Action.includes('dynamodb:Query'));
    expect(JSON.stringify(query?.Resource)).toContain('/index/byStatus');
    expect(JSON.stringify(query?.Resource)).not.toContain('index/*');
    const review = Object.values(site.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.SERVICE_NAME === 'review',
    );
    expect(review?.Properties.Environment.Variables.ARTICLES_TABLE).toBeDefined();
  });

  it('sends the managed login back to the editor page on the distribution', () => {
    site.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      GenerateSecret: false,
      CallbackURLs: [
        { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }, '/admin/']] },
      ],
    });
  });

  it('outputs what an operator needs to create an editor', () => {
    expect(Object.keys(data.findOutputs('*'))).toEqual(expect.arrayContaining(['UserPoolId']));
    expect(Object.keys(site.findOutputs('*'))).toEqual(
      expect.arrayContaining(['EditorClientId', 'EditorLoginDomain', 'SiteUrl']),
    );
  });
});

describe('render function', () => {
  const renderPolicy = () =>
    Object.values(site.findResources('AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p.Properties.Roles).includes('RenderRole'),
    );
  const statements = (): { Action: string[] | string; Resource: unknown }[] =>
    renderPolicy()?.Properties.PolicyDocument.Statement ?? [];

  it('consumes the Articles stream with the shared filters, bisect, finite retries, partial failures and the DLQ', () => {
    const mappings = Object.values(site.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]?.Properties;
    expect(mapping).toMatchObject({
      StartingPosition: 'LATEST',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(mapping.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual(
      JSON.parse(JSON.stringify(renderStreamFilters)),
    );
    expect(JSON.stringify(mapping.DestinationConfig.OnFailure.Destination)).toContain('RenderDlq');
    expect(JSON.stringify(mapping.EventSourceArn)).toContain('StreamArn');
  });

  it('grants render reads of Articles and counts, object writes on the bucket and one invalidation action', () => {
    const actions = statements()
      .flatMap((s) => s.Action)
      .filter(
        (a) =>
          !a.startsWith('logs:') &&
          !a.startsWith('dynamodb:Describe') &&
          !a.startsWith('dynamodb:ListStreams') &&
          !a.startsWith('dynamodb:GetRecords') &&
          !a.startsWith('dynamodb:GetShardIterator') &&
          !a.startsWith('sqs:'),
      )
      .sort();
    expect(actions).toEqual(
      [
        'cloudfront:CreateInvalidation',
        'dynamodb:BatchGetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:UpdateItem',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ].sort(),
    );
    const queries = statements().filter((s) => s.Action === 'dynamodb:Query');
    const on = (table: string) => queries.find((s) => JSON.stringify(s.Resource).includes(table));
    expect(JSON.stringify(on('Articles')?.Resource)).toContain('/index/byChannel');
    // 点击排行: the daily view buckets of Counters, and no other partition of it.
    expect((on('Counters') as { Condition?: unknown } | undefined)?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['hot#*'] },
    });
    const s3 = statements().find((s) => JSON.stringify(s.Action).includes('s3:PutObject'));
    expect(JSON.stringify(s3?.Resource)).toContain('/*');
    expect(JSON.stringify(statements())).not.toMatch(/dynamodb:PutItem|s3:\*/);
    // The one item write: the list counters (list#<path>), recounted by a rebuild; never an article.
    const updates = statements().filter((s) => JSON.stringify(s.Action).includes('dynamodb:UpdateItem'));
    expect(updates.map((s) => (s as { Condition?: unknown }).Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['list#*'] } },
    ]);
    // Listing the site bucket (key names and ETags of pages render wrote), and no other bucket.
    const list = statements().find((s) => s.Action === 's3:ListBucket');
    expect(JSON.stringify(list?.Resource)).toMatch(/Site/);
    expect(JSON.stringify(list?.Resource)).not.toContain('/*');
    // Scan on Counters (counts only), never on Articles (bodies and contributors' contacts).
    const scans = statements().filter((s) => JSON.stringify(s.Action).includes('dynamodb:Scan'));
    expect(scans.map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringContaining('Counters')]);
    expect(JSON.stringify(scans.map((s) => s.Resource))).not.toContain('Articles');
    const fn = Object.values(site.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.SERVICE_NAME === 'render',
    );
    expect(Object.keys(fn?.Properties.Environment.Variables ?? {})).toEqual(
      expect.arrayContaining([
        'ARTICLES_TABLE',
        'COUNTERS_TABLE',
        'SITE_BUCKET',
        'DISTRIBUTION_ID',
        'SITE_URL',
      ]),
    );
  });
});

describe('views function', () => {
  type Statement = { Action: string[] | string; Resource: unknown; Condition?: Record<string, unknown> };
  const viewsStatements = (): Statement[] => {
    const policies = Object.values(site.findResources('AWS::IAM::Policy'));
    const policy = policies.find((p) => JSON.stringify(p.Properties.Roles).includes('ViewsRole'));
    return (policy?.Properties.PolicyDocument.Statement ?? []).filter((s: Statement) =>
      JSON.stringify(s.Action).includes('dynamodb'),
    );
  };
  const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

  it('routes POST /api/views/{id} and GET /api/views to views, without an authorizer', () => {
    const viewsRoutes = routes.filter((r) => r.fn === 'views');
    expect(viewsRoutes.map(routeKey).sort()).toEqual(['GET /api/views', 'POST /api/views/{id}']);
    expect(viewsRoutes.every((r) => r.access === 'public')).toBe(true);
  });

  it('may only count and read counts in Counters', () => {
    const counters = viewsStatements().filter((s) => !actionsOf(s).includes('dynamodb:GetItem'));
    expect(counters.flatMap(actionsOf).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:UpdateItem']);
    expect(JSON.stringify(counters.map((s) => s.Resource))).toContain('Counters');
    expect(JSON.stringify(counters.map((s) => s.Resource))).not.toContain('Articles');
  });

  it('cannot read article bodies: GetItem on Articles only, restricted to id and status', () => {
    const onArticles = viewsStatements().filter((s) => JSON.stringify(s.Resource).includes('Articles'));
    expect(onArticles).toHaveLength(1);
    expect(actionsOf(onArticles[0] as Statement)).toEqual(['dynamodb:GetItem']);
    expect(JSON.stringify(onArticles[0]?.Resource)).not.toContain('index');
    expect(onArticles[0]?.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'status'] },
      StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    });
    const fn = Object.values(site.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.SERVICE_NAME === 'views',
    );
    expect(Object.keys(fn?.Properties.Environment.Variables ?? {})).toEqual(
      expect.arrayContaining(['ARTICLES_TABLE', 'COUNTERS_TABLE']),
    );
  });

  it('invokes render with the refresh-hot command every 10 minutes', () => {
    const rules = Object.values(site.findResources('AWS::Events::Rule'));
    const refresh = rules.find((r) => r.Properties.ScheduleExpression === 'rate(10 minutes)');
    expect(refresh?.Properties.Targets).toHaveLength(1);
    expect(JSON.parse(refresh?.Properties.Targets[0].Input)).toEqual({ command: 'refresh-hot' });
    expect(JSON.stringify(refresh?.Properties.Targets[0].Arn)).toContain('Render');
    site.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
  });

  it('lets CloudFront cache GET /api/views for a few seconds only', () => {
    const distribution = Object.values(site.findResources('AWS::CloudFront::Distribution'))[0];
    const behaviour = distribution?.Properties.DistributionConfig.CacheBehaviors.find(
      (b: { PathPattern: string }) => b.PathPattern === '/api/views',
    );
    expect(behaviour).toBeDefined();
    const policies = site.findResources('AWS::CloudFront::CachePolicy');
    const ref = JSON.stringify(behaviour?.CachePolicyId);
    const policy = Object.entries(policies).find(([logicalId]) => ref.includes(logicalId))?.[1];
    expect(policy?.Properties.CachePolicyConfig.MaxTTL).toBeLessThanOrEqual(60);
  });
});

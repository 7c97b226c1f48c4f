import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { QUARANTINE_PREFIX, UPLOAD_FORM_PATH } from '#shared/domain/uploads.ts';
import { templateApp } from '../support/synth.ts';

let data: Template;
let site: Template;

beforeAll(() => {
  const built = buildApp(templateApp());
  data = Template.fromStack(built.data);
  site = Template.fromStack(built.site);
});

const policiesOf = (template: Template, rolePrefix: string) =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);

describe('photo uploads infrastructure', () => {
  it('keeps uploads in their own private, encrypted, versioned, retained bucket that expires quarantine', () => {
    data.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: Match.objectLike({
          BlockPublicAcls: true,
          RestrictPublicBuckets: true,
        }),
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ Prefix: QUARANTINE_PREFIX, ExpirationInDays: 7 })]),
        },
      }),
    });
  });

  it("sends photo forms straight to the uploads bucket, so CloudFront's 403 → 404 page never hides S3's answer", () => {
    // No CloudFront path or origin reaches the uploads bucket: the distribution-wide custom error responses (403 →
    // /404.html) would replace S3's 403 for an expired or refused form.
    const distribution = Object.values(site.findResources('AWS::CloudFront::Distribution'))[0];
    const config = distribution?.Properties.DistributionConfig;
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).not.toContain(
      UPLOAD_FORM_PATH,
    );
    expect(JSON.stringify(config.Origins)).not.toMatch(/Uploads/);
    expect(config.CustomErrorResponses).toEqual([
      expect.objectContaining({ ErrorCode: 403, ResponseCode: 404 }),
    ]);
    // The uploads function hands out the bucket's regional endpoint as the form's address …
    const uploads = Object.values(site.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.SERVICE_NAME === 'uploads',
    );
    const formUrl = JSON.stringify(uploads?.Properties.Environment.Variables.UPLOAD_FORM_URL);
    expect(formUrl).toMatch(
      /^\{"Fn::Join":\["",\["https:\/\/",\{"Ref":"SsmParameterValue.*UploadsRegionalDomainName.*"\},"\/"\]\]\}$/,
    );
    // … pages may connect to it (CSP connect-src) …
    const [policy] = Object.values(site.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const csp = JSON.stringify(
      policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    );
    expect(csp).toMatch(/connect-src 'self' .*https:\/\/.*UploadsRegionalDomainName/);
    // … and the bucket lets them read its answer to a POST (CORS), nothing else.
    data.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: QUARANTINE_PREFIX })]) },
      CorsConfiguration: { CorsRules: [{ AllowedMethods: ['POST'], AllowedOrigins: ['*'], MaxAge: 3000 }] },
    });
  });

  it('triggers images on ObjectCreated under the quarantine prefix only', () => {
    site.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: QUARANTINE_PREFIX }] } },
          }),
        ],
      },
    });
  });

  it('gives images 2 GB, the site bucket and the table, and lets it read and write only upload# items', () => {
    site.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({ SERVICE_NAME: 'images', SITE_BUCKET: Match.anyValue() }) },
    });
    const statements = policiesOf(site, 'PhotosImagesRole');
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb'));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]?.Action).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(dynamo[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['upload#*'] },
    });
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('s3:DeleteObject');
    expect(actions).not.toContain('dynamodb:UpdateItem');
  });

  it('lets uploads put into quarantine and nothing else', () => {
    const s3 = policiesOf(site, 'PhotosUploadsRole').filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3).toHaveLength(1);
    expect(s3[0]?.Action).toBe('s3:PutObject');
    expect(JSON.stringify(s3[0]?.Resource)).toContain(`/${QUARANTINE_PREFIX}*`);
  });
});

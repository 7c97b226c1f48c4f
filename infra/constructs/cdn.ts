// CloudFront in front of everything: the site bucket through OAC, `/api/*` to the HTTP API, one headers policy.
import { Duration } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  KeyValueStore,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  contentSecurityPolicyConnecting,
  SEARCH_POLICY_PATHS,
  searchContentSecurityPolicyConnecting,
  securityHeaders,
} from '../../shared/headers.ts';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/origin-guard.ts';
import { NOT_FOUND_KEY, siteRequestFunctionSource } from '../../shared/site-paths.ts';
import type { DeployConfig } from '../config.ts';
import { acknowledge } from './nag.ts';

export interface CdnProps {
  readonly siteBucket: IBucket;
  readonly logBucket: IBucket;
  readonly apiOriginDomain: string;
  /** Sent to the API in ORIGIN_VERIFY_HEADER; the API functions refuse requests without it. */
  readonly apiOriginSecret: string;
  /** The WAF WebACL (us-east-1) in front of the distribution, when the stage has one. */
  readonly webAclArn?: string;
  /** Other origins pages may fetch from (CSP connect-src), e.g. the editors' managed login for its token call. */
  readonly connectOrigins?: readonly string[];
  readonly config: DeployConfig;
}

export class Cdn extends Construct {
  readonly distribution: Distribution;
  readonly headersPolicy: ResponseHeadersPolicy;
  readonly searchHeadersPolicy: ResponseHeadersPolicy;
  /** Old URL → new path, filled by `npm run import -- --stage …` (docs/MIGRATION.md). */
  readonly redirects: KeyValueStore;

  constructor(scope: Construct, id: string, props: CdnProps) {
    super(scope, id);
    acknowledge(this, [
      {
        id: 'Annotation::@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
        reason: "The site bucket's own policy (StatefulStack) grants this account's distributions read.",
      },
    ]);

    this.headersPolicy = this.headersPolicyWith(
      'Headers',
      'Strict CSP, HSTS, nosniff, no framing',
      contentSecurityPolicyConnecting(props.connectOrigins ?? []),
    );
    // The search page and its index only: the same policy plus 'wasm-unsafe-eval' for Pagefind's engine.
    this.searchHeadersPolicy = this.headersPolicyWith(
      'SearchHeaders',
      'The strict policy, with WebAssembly allowed for site search',
      searchContentSecurityPolicyConnecting(props.connectOrigins ?? []),
    );

    this.redirects = new KeyValueStore(this, 'Redirects', {
      comment: 'Old URLs of imported articles (WordPress, DedeCMS) and their new paths',
    });
    const siteRequest = new EdgeFunction(this, 'DirectoryIndex', {
      code: FunctionCode.fromInline(siteRequestFunctionSource(this.redirects.keyValueStoreId)),
      runtime: FunctionRuntime.JS_2_0,
      keyValueStore: this.redirects,
      comment: 'Maps /channel/ to /channel/index.html and old URLs to 301s',
    });

    const apiOrigin = new HttpOrigin(props.apiOriginDomain, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      // Overwrites a header of the same name a viewer sends, so only CloudFront can present the secret.
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.apiOriginSecret },
    });
    const apiBehavior = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headersPolicy,
    };
    // View counts for list pages are read-only and may be a few seconds stale; everything else under /api is live.
    const shortReads = new CachePolicy(this, 'ShortReads', {
      comment: 'GET /api/views?ids=…, cached for seconds',
      defaultTtl: Duration.seconds(5),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(10),
      queryStringBehavior: CacheQueryStringBehavior.allowList('ids'),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const siteBehavior = {
      // A reference, not the bucket itself: the bucket's own stack grants CloudFront read (see StatefulStack).
      origin: S3BucketOrigin.withOriginAccessControl(
        Bucket.fromBucketAttributes(this, 'SiteOrigin', {
          bucketArn: props.siteBucket.bucketArn,
          bucketRegionalDomainName: props.siteBucket.bucketRegionalDomainName,
        }),
      ),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.headersPolicy,
      compress: true,
      functionAssociations: [{ function: siteRequest, eventType: FunctionEventType.VIEWER_REQUEST }],
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Newsroom site (${props.config.stage})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.config.domain
        ? {
            domainNames: [props.config.domain.name],
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            certificate: Certificate.fromCertificateArn(
              this,
              'Certificate',
              props.config.domain.certificateArn,
            ),
          }
        : {}),
      defaultBehavior: siteBehavior,
      additionalBehaviors: {
        '/api/views': {
          ...apiBehavior,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: shortReads,
        },
        '/api/*': apiBehavior,
        // Query strings are not part of the cache key: /search/?q=… is the one cached /search/index.html.
        ...Object.fromEntries(
          SEARCH_POLICY_PATHS.map((prefix) => [
            `${prefix}*`,
            { ...siteBehavior, responseHeadersPolicy: this.searchHeadersPolicy },
          ]),
        ),
      },
      // Only S3 answers 403, for a key that does not exist (OAC without ListBucket). The API never answers 403,
      // so its JSON 404s pass through untouched while missing pages get the site's 404 page. Custom error responses
      // apply to every behaviour, which is why photo forms are not posted through CloudFront: they go to the uploads
      // bucket's own endpoint, so S3's 403 for an expired or refused form reaches the page.
      errorResponses: [
        {
          httpStatus: 403,
          responseHttpStatus: 404,
          responsePagePath: `/${NOT_FOUND_KEY}`,
          ttl: Duration.minutes(1),
        },
      ],
    });
  }

  /** One response-headers policy of the shared set (shared/headers.ts), with `csp` as its Content-Security-Policy. */
  private headersPolicyWith(id: string, comment: string, csp: string): ResponseHeadersPolicy {
    const hsts = securityHeaders.strictTransportSecurity;
    return new ResponseHeadersPolicy(this, id, {
      comment,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(hsts.maxAgeSeconds),
          includeSubdomains: hsts.includeSubdomains,
          preload: hsts.preload,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: securityHeaders.permissionsPolicy, override: true },
        ],
      },
    });
  }
}

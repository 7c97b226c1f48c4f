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
import { UPLOAD_FORM_PATH } from '../../shared/domain/uploads.ts';
import {
  contentSecurityPolicyConnecting,
  SEARCH_POLICY_PATHS,
  searchContentSecurityPolicyConnecting,
  securityHeaders,
} from '../../shared/headers.ts';
import { directoryIndexFunctionSource, NOT_FOUND_KEY } from '../../shared/site-paths.ts';
import type { DeployConfig } from '../config.ts';
import { acknowledge } from './nag.ts';

export interface CdnProps {
  readonly siteBucket: IBucket;
  readonly logBucket: IBucket;
  readonly apiOriginDomain: string;
  /** Private bucket for contributors' photos: CloudFront only forwards presigned POSTs to it, never reads it. */
  readonly uploadsBucket?: IBucket;
  /** Other origins pages may fetch from (CSP connect-src), e.g. the editors' managed login for its token call. */
  readonly connectOrigins?: readonly string[];
  readonly config: DeployConfig;
}

export class Cdn extends Construct {
  readonly distribution: Distribution;
  readonly headersPolicy: ResponseHeadersPolicy;
  readonly searchHeadersPolicy: ResponseHeadersPolicy;

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

    const directoryIndex = new EdgeFunction(this, 'DirectoryIndex', {
      code: FunctionCode.fromInline(directoryIndexFunctionSource),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Maps /channel/ to /channel/index.html',
    });

    const apiOrigin = new HttpOrigin(props.apiOriginDomain, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
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
      functionAssociations: [{ function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }],
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Newsroom site (${props.config.stage})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
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
        // Query strings are not part of the cache key: /search/?q=… is the one cached /search/index.html.
        ...Object.fromEntries(
          SEARCH_POLICY_PATHS.map((prefix) => [
            `${prefix}*`,
            { ...siteBehavior, responseHeadersPolicy: this.searchHeadersPolicy },
          ]),
        ),
        '/api/views': {
          ...apiBehavior,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: shortReads,
        },
        '/api/*': apiBehavior,
        ...(props.uploadsBucket ? { [UPLOAD_FORM_PATH]: this.uploadFormBehavior(props.uploadsBucket) } : {}),
      },
      // Only S3 answers 403, for a key that does not exist (OAC without ListBucket). The API never answers 403,
      // so its JSON 404s pass through untouched while missing pages get the site's 404 page.
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

  /**
   * The same-origin target of the 投稿 page's upload form: a presigned POST forwarded to the uploads bucket's root,
   * so the page's CSP stays `connect-src 'self'`. Anything but POST is refused at the edge, so the path cannot be
   * used to read the bucket; the POST itself is authorised by its signed policy, not by CloudFront.
   */
  private uploadFormBehavior(uploadsBucket: IBucket) {
    const forwardUploadForm = new EdgeFunction(this, 'UploadForm', {
      code: FunctionCode.fromInline(
        [
          'function handler(event) {',
          "  if (event.request.method !== 'POST') {",
          "    return { statusCode: 405, statusDescription: 'Method Not Allowed', headers: { allow: { value: 'POST' } } };",
          '  }',
          "  event.request.uri = '/';",
          '  event.request.querystring = {};',
          '  return event.request;',
          '}',
        ].join('\n'),
      ),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Forwards upload form POSTs to the uploads bucket',
    });
    return {
      origin: new HttpOrigin(uploadsBucket.bucketRegionalDomainName, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      responseHeadersPolicy: this.headersPolicy,
      functionAssociations: [{ function: forwardUploadForm, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
  }
}

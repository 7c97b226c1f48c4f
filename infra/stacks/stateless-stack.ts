// Everything that can be replaced freely: functions, the HTTP API, CloudFront, alarms.

import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  type CfnUserPoolClient,
  ClientAttributes,
  OAuthScope,
  ResourceServerScope,
  UserPoolClient,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { SEARCH_CHANGED_KEY, SEARCH_INDEX_STATE_KEY } from '../../shared/aws/search-state.ts';
import { DESK_RESOURCE_SERVER, DESK_SCOPE, DESK_SCOPE_NAME } from '../../shared/domain/roles.ts';
import { PRIVATE_PHOTOS_PREFIX } from '../../shared/domain/uploads.ts';
import { HOT_REFRESH_INTERVAL_MINUTES, REFRESH_HOT_COMMAND } from '../../shared/domain/views.ts';
import type { FunctionName } from '../../shared/routes.ts';
import { SEARCH_INDEX_PREFIX } from '../../shared/search/publish-index.ts';
import { REINDEX_COMMAND, SEARCH_REINDEX_INTERVAL_SECONDS } from '../../shared/search/reindex.ts';
import { SEARCH_FUNCTION_MEMORY_MB } from '../../shared/search/split-index.ts';
import { renderStreamFilters, renderStreamSettings } from '../../shared/stream-settings.ts';
import { ARTICLES_BY_CHANNEL, ARTICLES_BY_STATUS } from '../../shared/tables.ts';
import { type DeployConfig, editorSession } from '../config.ts';
import { OpsAlarms } from '../constructs/alarms.ts';
import type { LambdaName } from '../constructs/bundling.ts';
import { Cdn } from '../constructs/cdn.ts';
import { type DataResources, importDataRefs } from '../constructs/data-refs.ts';
import { acknowledgeGuard } from '../constructs/guard.ts';
import { NewsApi } from '../constructs/http-api.ts';
import { acknowledge, acknowledgeObjectPrefixGrants } from '../constructs/nag.ts';
import { NewsFunction } from '../constructs/news-function.ts';
import { OriginSecret } from '../constructs/origin-secret.ts';
import { PublishSchedules } from '../constructs/publish-schedules.ts';
import { RebuildAfterDeploy } from '../constructs/rebuild-after-deploy.ts';
import { RebuildFanOut } from '../constructs/rebuild-fan-out.ts';
import { PhotoUploads, uploadFormOrigin } from '../constructs/uploads.ts';
import type { EdgeStack } from './edge-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly config: DeployConfig;
  /** The Data stack: deployed first; its resources are read through SSM parameters (data-refs.ts), never exports. */
  readonly dataStack: Stack;
  /** The Edge stack (us-east-1) with the WAF WebACL, when the stage has one (`-c waf`). */
  readonly edgeStack?: EdgeStack;
}

export class StatelessStack extends Stack {
  readonly functions: Partial<Record<FunctionName, NewsFunction>>;
  readonly api: NewsApi;
  readonly cdn: Cdn;
  readonly alarms: OpsAlarms;
  readonly renderFunction: NewsFunction;
  readonly rebuildAfterDeploy: RebuildAfterDeploy;
  readonly rebuildFanOut: RebuildFanOut;
  readonly searchFunction: NewsFunction;
  readonly originSecret: OriginSecret;
  readonly publishSchedules: PublishSchedules;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.addStackDependency(
      props.dataStack,
      'tables, buckets and the user pool, read through SSM parameters',
    );
    const data = importDataRefs(this, config.stage);

    this.alarms = new OpsAlarms(this, 'Alarms', config.alarmEmail ? { alarmEmail: config.alarmEmail } : {});

    // submit may create pending articles and read them back for idempotent retries; it cannot publish. It puts the
    // submission's first audit entry and saved copy in History (PutItem only: never update or delete history).
    const submit = new NewsFunction(this, 'Submit', { name: 'submit', memorySize: 256 })
      .bindTable('ARTICLES_TABLE', data.articles, ['dynamodb:PutItem', 'dynamodb:GetItem'])
      .bindTable('HISTORY_TABLE', data.history, ['dynamodb:PutItem']);

    // review reads one article, changes its state with a conditional UpdateItem, and lists the editor queues
    // through byStatus only. It cannot put new items or delete anything.
    // Its timeout, as every function's, is in infra/constructs/timeouts.ts.
    const review = new NewsFunction(this, 'Review', {
      name: 'review',
      memorySize: 256,
      // The preview links the published page's hashed stylesheet; it needs site-assets/ to know the hash.
      bundledDirs: ['site-assets'],
    })
      .bindTable('ARTICLES_TABLE', data.articles, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      // History is append-only: each change puts its audit entry and saved copy (if absent, in the change's
      // transaction); review reads them back, and can neither update nor delete one.
      .bindTable('HISTORY_TABLE', data.history, ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    review.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [`${data.articles.tableArn}/index/${ARTICLES_BY_STATUS}`],
      }),
    );
    // The preview shows photos that are not public yet: review reads their private copies (and nothing else of
    // the site bucket) for the grant-signed photo route.
    review.fn.addEnvironment('SITE_BUCKET', data.siteBucket.bucketName);
    review.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetObject'],
        resources: [data.siteBucket.arnForObjects(`${PRIVATE_PHOTOS_PREFIX}*`)],
      }),
    );
    acknowledgeObjectPrefixGrants(
      review,
      [`/${PRIVATE_PHOTOS_PREFIX}*`],
      'Photo keys are per-upload uuids: the preview reads any private photo file, and nothing else of the bucket.',
    );

    // 定时发布 and preview links: the schedule group, the role schedules assume, their DLQ, the signing key.
    this.publishSchedules = new PublishSchedules(this, 'PublishSchedules', {
      review,
      deadLetterQueue: this.alarms.publishScheduleDlq,
    });

    // views counts 点击量 in Counters: ADD on a shard (plain, or inside a one-item transaction that makes a retried
    // view idempotent), BatchGet of shards. On Articles it may read `status` and nothing else: with these condition
    // keys a GetItem without that projection (one that would return the body) is denied.
    const views = new NewsFunction(this, 'Views', { name: 'views', memorySize: 256 }).bindTable(
      'COUNTERS_TABLE',
      data.counters,
      ['dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
    );
    views.fn.addEnvironment('ARTICLES_TABLE', data.articles.tableName);
    views.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem'],
        resources: [data.articles.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'status'] },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      }),
    );
    const photos = new PhotoUploads(this, 'Photos', {
      uploadsBucket: data.uploadsBucket,
      siteBucket: data.siteBucket,
      articles: data.articles,
    });
    this.functions = { submit, review, views, uploads: photos.uploads };

    // The editor page's app client. It lives here, not with the user pool, because its callback URL is the
    // distribution's address; only the pool (the editors' accounts) is state.
    const siteUrl = config.domain ? `https://${config.domain.name}` : undefined;
    // The desk's scope: the API's authorizer accepts only access tokens that carry it (shared/domain/roles.ts).
    const deskScope = new ResourceServerScope({
      scopeName: DESK_SCOPE_NAME,
      scopeDescription: 'Use the editor desk API (/api/admin/*)',
    });
    const deskApi = new UserPoolResourceServer(this, 'DeskApi', {
      userPool: data.userPool,
      identifier: DESK_RESOURCE_SERVER,
      scopes: [deskScope],
    });
    const editorClient = new UserPoolClient(this, 'EditorClient', {
      userPool: data.userPool,
      generateSecret: false,
      preventUserExistenceErrors: true,
      // A disabled editor loses access within 15 minutes: API Gateway checks only a token's signature and expiry, so
      // tokens already issued live until they expire (docs/DEPLOYING.md, "Taking an editor's access away"). The desk
      // never uses the refresh token; Cognito's shortest is an hour, and a global sign-out revokes it.
      accessTokenValidity: Duration.minutes(editorSession.tokenMinutes),
      idTokenValidity: Duration.minutes(editorSession.tokenMinutes),
      refreshTokenValidity: Duration.minutes(editorSession.refreshTokenMinutes),
      enableTokenRevocation: true,
      // The name printed as 责任编辑 (preferred_username) is set by an administrator only: editors may not rename
      // themselves through the app client. An empty list would read as "not specified", which lets users write
      // every standard attribute, so the list names the two harmless ones they may set.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true, timezone: true }),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        // DESK_LOGIN_SCOPES: the desk's own scope, which the API requires, and what userInfo needs for the name.
        scopes: [OAuthScope.OPENID, OAuthScope.PROFILE, OAuthScope.resourceServer(deskApi, deskScope)],
        callbackUrls: [siteUrl ? `${siteUrl}/admin/` : 'http://localhost:3000/admin/'],
        // The desk's 退出 goes through the managed login's /logout and back to the desk's sign-in.
        logoutUrls: [siteUrl ? `${siteUrl}/admin/` : 'http://localhost:3000/admin/'],
      },
    });
    // Only the managed login's authorization code flow (with PKCE, from the desk) and the refresh of its tokens: no
    // SRP, password or custom flows through the API, which CDK's AuthFlows cannot express (empty means Cognito's
    // default, which allows SRP and custom auth).
    (editorClient.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];

    // review reads an access token's preferred_username (the 责任编辑 name) from the managed login's userInfo.
    review.fn.addEnvironment('EDITOR_LOGIN_DOMAIN', data.loginUrl);
    this.api = new NewsApi(this, 'Api', {
      functions: this.functions,
      userPool: data.userPool,
      editorClient,
      editorScopes: [DESK_SCOPE],
    });
    // /api/* only through CloudFront: every function behind the API checks the header CloudFront adds.
    this.originSecret = new OriginSecret(this, 'OriginSecret', { config });
    for (const fn of Object.values(this.functions)) if (fn) this.originSecret.guard(fn);
    this.cdn = new Cdn(this, 'Cdn', {
      siteBucket: data.siteBucket,
      logBucket: data.logBucket,
      apiOriginDomain: this.api.originDomain,
      apiOriginSecret: this.originSecret.headerValue,
      ...(props.edgeStack ? { webAclArn: props.edgeStack.webAclArnFor(this) } : {}),
      // The desk's code-for-token POST goes to the managed login's own origin; photo forms go to the uploads bucket.
      connectOrigins: [data.loginUrl, uploadFormOrigin(data.uploadsBucket)],
      config,
    });

    // Without a custom domain the site's address exists only once the distribution does, so the managed login's
    // callback is pointed at it here (no cycle: the distribution depends on the API, not on its authorizer).
    if (!siteUrl) {
      const cdnUrl = `https://${this.cdn.distribution.distributionDomainName}`;
      const client = editorClient.node.defaultChild as CfnUserPoolClient;
      client.callbackUrLs = [`${cdnUrl}/admin/`];
      client.logoutUrLs = [`${cdnUrl}/admin/`];
    }

    // render turns the Articles stream into pages: it reads articles (items and the byChannel index) and counts,
    // writes and deletes objects in the site bucket, and invalidates the distribution. Nothing else.
    const render = new NewsFunction(this, 'Render', {
      name: 'render',
      memorySize: 1024,
      bundledDirs: ['site-assets'],
      environment: {
        SITE_BUCKET: data.siteBucket.bucketName,
        DISTRIBUTION_ID: this.cdn.distribution.distributionId,
        SITE_URL: siteUrl ?? `https://${this.cdn.distribution.distributionDomainName}`,
        // /admin/config.json names the managed login, so the desk signs editors in through Cognito.
        EDITOR_LOGIN_DOMAIN: data.loginUrl,
        EDITOR_CLIENT_ID: editorClient.userPoolClientId,
      },
    })
      .bindTable('ARTICLES_TABLE', data.articles, ['dynamodb:GetItem', 'dynamodb:BatchGetItem'])
      // Counters holds only counts: Scan reads every article's total at once for a rebuild or an import's render
      // (one pass instead of 32 BatchGet keys per article).
      .bindTable('COUNTERS_TABLE', data.counters, ['dynamodb:BatchGetItem', 'dynamodb:Scan']);
    render.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [`${data.articles.tableArn}/index/${ARTICLES_BY_CHANNEL}`],
      }),
    );
    // A rebuild recounts the list counters (`list#<path>` items) that publishes keep; no other Articles item.
    render.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:UpdateItem'],
        resources: [data.articles.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['list#*'] } },
      }),
    );
    // 点击排行: render queries the daily view buckets (`hot#<day>#<shard>`) and no other Counters partition.
    render.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [data.counters.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['hot#*'] } },
      }),
    );
    render.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [data.siteBucket.arnForObjects('*')],
      }),
    );
    // A render of more than 200 pages (a rebuild, an import's render) compares against one listing of the bucket
    // instead of a HEAD per page: 5 requests instead of 4,384 for a site of 4,000 articles.
    render.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [data.siteBucket.bucketArn],
      }),
    );
    render.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['cloudfront:CreateInvalidation'],
        resources: [this.cdn.distribution.distributionArn],
      }),
    );
    render.fn.addEventSource(
      new DynamoEventSource(data.articles, {
        startingPosition: StartingPosition.LATEST,
        batchSize: renderStreamSettings.batchSize,
        maxBatchingWindow: Duration.seconds(renderStreamSettings.maxBatchingWindowSeconds),
        bisectBatchOnError: renderStreamSettings.bisectBatchOnError,
        retryAttempts: renderStreamSettings.retryAttempts,
        reportBatchItemFailures: renderStreamSettings.reportBatchItemFailures,
        parallelizationFactor: renderStreamSettings.parallelizationFactor,
        maxRecordAge: Duration.seconds(renderStreamSettings.maxRecordAgeSeconds),
        filters: renderStreamFilters.map((pattern) => FilterCriteria.filter(pattern)),
        onFailure: new SqsDlq(this.alarms.renderDlq),
      }),
    );
    this.renderFunction = render;
    // 点击排行: every 10 minutes render re-reads the daily view buckets and re-renders the home and channel first
    // pages only where a ranking changed (docs/VIEW-COUNTS.md).
    new Rule(this, 'RefreshHotList', {
      description: 'Re-rank the most-read boxes (24 h / 7 days) from the daily view buckets',
      schedule: Schedule.rate(Duration.minutes(HOT_REFRESH_INTERVAL_MINUTES)),
      targets: [
        new LambdaFunction(render.fn, {
          event: RuleTargetInput.fromObject(REFRESH_HOT_COMMAND),
          retryAttempts: 2,
          maxEventAge: Duration.minutes(HOT_REFRESH_INTERVAL_MINUTES),
        }),
      ],
    });
    // The site is complete after `cdk deploy`: render's rebuild runs once everything its pages name exists (the
    // distribution for SITE_URL and invalidations, the app client for /admin/config.json, the API for /api/*), and
    // again when the render code or the site config changes. docs/DEPLOYING.md says what each deploy costs.
    // A whole-site rebuild fans out over render invocations (docs/ARCHIVE-SCALE.md, "Rebuild fan-out").
    this.rebuildFanOut = new RebuildFanOut(this, 'RebuildFanOut', { render, alarmTopic: this.alarms.topic });
    this.rebuildAfterDeploy = new RebuildAfterDeploy(this, 'RebuildAfterDeploy', {
      render,
      rebuild: this.rebuildFanOut.stateMachine,
      after: [this.cdn, editorClient, this.api],
    });
    // Pages are objects anywhere in the site bucket, so the object grant is the bucket's whole key space.
    acknowledgeObjectPrefixGrants(
      render,
      ['/*'],
      'render writes, replaces and deletes pages anywhere in the site bucket (every page path is derived from the article).',
    );
    acknowledge(render, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams, added by the DynamoDB event source, does not support resource-level permissions.',
      },
    ]);

    this.searchFunction = this.searchIndexing(data);

    new CfnOutput(this, 'SiteUrl', {
      value: siteUrl ?? `https://${this.cdn.distribution.distributionDomainName}`,
    });
    new CfnOutput(this, 'DistributionId', { value: this.cdn.distribution.distributionId });
    new CfnOutput(this, 'ApiUrl', { value: this.api.api.apiEndpoint });
    new CfnOutput(this, 'EditorClientId', { value: editorClient.userPoolClientId });
    new CfnOutput(this, 'EditorLoginDomain', { value: data.loginUrl });
    new CfnOutput(this, 'RenderDlqUrl', { value: this.alarms.renderDlq.queueUrl });
    new CfnOutput(this, 'FailedInvocationsUrl', { value: this.alarms.failedInvocations.queueUrl });
    new CfnOutput(this, 'PublishScheduleDlqUrl', { value: this.alarms.publishScheduleDlq.queueUrl });
    new CfnOutput(this, 'RenderFunctionName', { value: this.renderFunction.fn.functionName });
    new CfnOutput(this, 'RebuildStateMachineArn', { value: this.rebuildFanOut.stateMachine.stateMachineArn });
    // Read by `npm run import -- --stage <name>`, which writes imported articles' old URLs into it.
    new CfnOutput(this, 'RedirectStoreArn', { value: this.cdn.redirects.keyValueStoreArn });

    acknowledge(this.api.api, [
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Public routes (submissions, view counts) are anonymous by design and throttled; every /api/admin/* route has the Cognito JWT authorizer.',
      },
    ]);
    acknowledge(this.cdn.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'A news site serves readers everywhere; no geo restriction is wanted.',
      },
      ...(props.edgeStack
        ? []
        : [
            {
              id: 'AwsSolutions-CFR2',
              reason:
                'This stage runs without the WAF (-c waf=false; on by default for prod, SECURITY.md): pages are static and the API has stage and route throttles.',
            },
          ]),
      ...(config.domain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without a custom domain CloudFront uses its default certificate, whose TLS policy cannot be chosen; with -c domainName the policy is TLSv1.2_2021.',
            },
          ]),
    ]);
    // Failed photo conversions (S3 invokes images asynchronously) and failed render runs that nobody waits for (the
    // 点击排行 schedule) are kept, not dropped; every function alarms on errors.
    this.alarms.keepFailedInvocations(photos.images);
    this.alarms.keepFailedInvocations(render);
    const everyFunction: Record<LambdaName, NewsFunction> = {
      submit,
      review,
      views,
      uploads: photos.uploads,
      images: photos.images,
      render,
      search: this.searchFunction,
    };
    for (const [name, fn] of Object.entries(everyFunction)) this.alarms.alarmOnErrors(name, fn);

    // Control Tower rules that do not apply to any of this stack's functions and log groups (SECURITY.md).
    acknowledgeGuard(this, [
      'lambda_inside_vpc_check',
      'cloudwatch_log_group_encrypted_check',
      'cloudwatch_log_group_retention_period_check',
    ]);
    acknowledgeGuard(this.api, ['api_gw_v2_authorization_type_configured_check']);
    acknowledgeGuard(this.cdn.distribution, [
      'cloudfront_origin_failover_enabled_check',
      ...(config.domain
        ? []
        : ([
            'cloudfront_custom_ssl_certificate_check',
            'cloudfront_sni_enabled_check',
            'cloudfront_security_policy_check',
          ] as const)),
    ]);
  }

  /**
   * 站内搜索: the search function builds the Pagefind index (its arm64 binary shipped from infra/lambda-native, as
   * sharp is for images) into `pagefind/` in the site bucket. A rule sends it `{"command":"reindex"}` every
   * SEARCH_REINDEX_INTERVAL_SECONDS; it builds only when render's change mark moved, so the rule's rate is the
   * debounce (at most one build a minute, and one within a minute of the last change). One instance at a time.
   * Its memory is the bound every index part's build is sized under (SEARCH_PART_MAX_ARTICLES, docs/SEARCH.md).
   */
  private searchIndexing(data: DataResources): NewsFunction {
    const search = new NewsFunction(this, 'Search', {
      name: 'search',
      memorySize: SEARCH_FUNCTION_MEMORY_MB,
      reservedConcurrency: 1,
      nativeModules: ['pagefind'],
      environment: {
        SITE_BUCKET: data.siteBucket.bucketName,
        DISTRIBUTION_ID: this.cdn.distribution.distributionId,
      },
    }).bindTable('ARTICLES_TABLE', data.articles, ['dynamodb:GetItem', 'dynamodb:BatchGetItem']);
    search.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [`${data.articles.tableArn}/index/${ARTICLES_BY_CHANNEL}`],
      }),
    );
    // It reads the change mark and its own state, and writes only the index and its state.
    search.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetObject'],
        resources: [
          data.siteBucket.arnForObjects(SEARCH_CHANGED_KEY),
          data.siteBucket.arnForObjects(SEARCH_INDEX_STATE_KEY),
          data.siteBucket.arnForObjects(`${SEARCH_INDEX_PREFIX}*`),
        ],
      }),
    );
    search.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [
          data.siteBucket.arnForObjects(SEARCH_INDEX_STATE_KEY),
          data.siteBucket.arnForObjects(`${SEARCH_INDEX_PREFIX}*`),
        ],
      }),
    );
    // A HEAD of a key not yet written answers 404 only with ListBucket (403 without), for the changed-bytes check;
    // a HEAD carries no prefix, so the grant cannot be narrowed by an s3:prefix condition.
    search.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [data.siteBucket.bucketArn],
      }),
    );
    search.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['cloudfront:CreateInvalidation'],
        resources: [this.cdn.distribution.distributionArn],
      }),
    );
    new Rule(this, 'SearchReindex', {
      description: 'Look at the search change mark and rebuild the site search index if it moved',
      schedule: Schedule.rate(Duration.seconds(SEARCH_REINDEX_INTERVAL_SECONDS)),
      targets: [
        new LambdaFunction(search.fn, {
          event: RuleTargetInput.fromObject(REINDEX_COMMAND),
          // The next look comes within the interval anyway; a late or throttled one is dropped, not queued.
          retryAttempts: 0,
          maxEventAge: Duration.seconds(SEARCH_REINDEX_INTERVAL_SECONDS),
        }),
      ],
    });
    acknowledgeObjectPrefixGrants(
      search,
      [`/${SEARCH_INDEX_PREFIX}*`],
      'search writes and deletes the index files under pagefind/ (named by Pagefind from their content).',
    );
    return search;
  }
}

// The HTTP API, built from the shared route table: one Lambda integration per function, the JWT authorizer on
// editor routes, stage and route throttles, and access logs.
import { Stack } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod, type HttpRoute, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  apiThrottle,
  type FunctionName,
  type Route,
  routeKey,
  routes,
  routeThrottles,
} from '../../shared/routes.ts';
import type { NewsFunction } from './news-function.ts';

export interface NewsApiProps {
  readonly functions: Partial<Record<FunctionName, NewsFunction>>;
  readonly userPool: IUserPool;
  readonly editorClient: IUserPoolClient;
  readonly routeTable?: readonly Route[];
  /** OAuth scopes an editor route requires of the token: only access tokens carry scopes, so ID tokens are refused. */
  readonly editorScopes?: readonly string[];
}

export class NewsApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: NewsApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Http', { createDefaultStage: false });

    const logs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'Default', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: apiThrottle.rate, burstLimit: apiThrottle.burst },
    });
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.accessLogSettings = {
      destinationArn: logs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
        sourceIp: '$context.identity.sourceIp',
      }),
    };
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(routeThrottles).map(([key, t]) => [
        key,
        // CloudFormation property names: RouteSettings is passed through untyped.
        { ThrottlingRateLimit: t?.rate, ThrottlingBurstLimit: t?.burst },
      ]),
    );

    const region = Stack.of(this).region;
    const authorizer = new HttpJwtAuthorizer(
      'Editors',
      `https://cognito-idp.${region}.amazonaws.com/${props.userPool.userPoolId}`,
      { jwtAudience: [props.editorClient.userPoolClientId] },
    );

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const created = new Map<string, HttpRoute[]>();
    for (const route of props.routeTable ?? routes) {
      const fn = props.functions[route.fn];
      if (!fn)
        throw new Error(
          `Route ${routeKey(route)} names function "${route.fn}", which the stack does not deploy.`,
        );
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn}Integration`, fn.fn);
        integrations.set(route.fn, integration);
      }
      created.set(
        routeKey(route),
        this.api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration,
          ...(route.access === 'editor'
            ? { authorizer, ...(props.editorScopes ? { authorizationScopes: [...props.editorScopes] } : {}) }
            : {}),
        }),
      );
    }

    // API Gateway refuses a stage whose RouteSettings name a route that does not exist yet ("Unable to find Route by
    // key"), and nothing else orders them: routes wait for their integrations and functions, so CloudFormation would
    // create the stage first on an empty account. The stage therefore waits for exactly the routes it names.
    for (const key of Object.keys(routeThrottles)) {
      const throttled = created.get(key);
      if (!throttled) throw new Error(`Route throttle ${key} names a route the API does not have.`);
      for (const route of throttled) this.stage.node.addDependency(route);
    }
  }

  /** The execute-api host name CloudFront uses as its origin. */
  get originDomain(): string {
    return `${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }
}

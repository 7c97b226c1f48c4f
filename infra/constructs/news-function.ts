// One function construct that forces the project's defaults: Node 24 on arm64, minified ESM with source maps,
// a log group with retention, and a `bind` helper that grants access and sets the variable together.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  type ICommandHooks,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  bundlingDefaults,
  esmRequireBanner,
  handlerEntry,
  type LambdaName,
  projectRoot,
} from './bundling.ts';
import { FUNCTION_TIMEOUT_SECONDS } from './timeouts.ts';

export interface NewsFunctionProps {
  readonly name: LambdaName;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  readonly reservedConcurrency?: number;
  /**
   * Native packages (e.g. sharp) left out of the esbuild bundle and shipped beside it as node_modules, copied
   * from infra/lambda-native, where they are installed for linux-arm64. Copying keeps synthesis offline, where
   * CDK's own `nodeModules` would run `npm install` for the build machine's platform.
   */
  readonly nativeModules?: readonly string[];
  /** Project folders copied beside the bundle (e.g. `site-assets`, which render publishes as hashed files). */
  readonly bundledDirs?: readonly string[];
}

/** Where the Lambda's native packages are installed for linux-arm64 (see its package.json). */
export const nativeModulesDir = path.join(projectRoot, 'infra', 'lambda-native', 'node_modules');

/** `modules` and every package they depend on (dependencies and installed optional ones), from nativeModulesDir. */
export function nativeModuleClosure(modules: readonly string[], dir: string = nativeModulesDir): string[] {
  const seen = new Set<string>();
  const queue = [...modules];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const manifest = path.join(dir, name, 'package.json');
    if (seen.has(name) || !existsSync(manifest)) continue;
    seen.add(name);
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    queue.push(...Object.keys({ ...parsed.dependencies, ...parsed.optionalDependencies }));
  }
  return [...seen].sort();
}

function copyNativeModules(modules: readonly string[]): ICommandHooks {
  const missing = modules.filter((name) => !existsSync(path.join(nativeModulesDir, name, 'package.json')));
  if (missing.length > 0) {
    throw new Error(
      `Native modules ${missing.join(', ')} are not installed for linux-arm64 in ${nativeModulesDir}; run ` +
        '`npm run install-native` (once, needs the npm registry).',
    );
  }
  // Only what the function names and needs: the images function carries no search engine, search no sharp.
  const closure = nativeModuleClosure(modules);
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) =>
      closure.map((name) => {
        const target = path.join(outputDir, 'node_modules', name);
        return `mkdir -p "${path.dirname(target)}" && cp -R "${path.join(nativeModulesDir, name)}" "${target}"`;
      }),
  };
}

function withBundledDirs(hooks: ICommandHooks | undefined, dirs: readonly string[]): ICommandHooks {
  return {
    beforeBundling: (i, o) => hooks?.beforeBundling(i, o) ?? [],
    beforeInstall: (i, o) => hooks?.beforeInstall(i, o) ?? [],
    afterBundling: (i, o) => [
      ...(hooks?.afterBundling(i, o) ?? []),
      ...dirs.map((dir) => `cp -R "${path.join(projectRoot, dir)}" "${o}/${path.basename(dir)}"`),
    ],
  };
}

export type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:Query'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:Scan';

export class NewsFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: NewsFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group and nothing else.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.fn = new NodejsFunction(this, 'Fn', {
      role,
      entry: handlerEntry(props.name),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}/package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS[props.name]),
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        SERVICE_NAME: props.name,
        ...props.environment,
      },
      bundling: {
        target: bundlingDefaults.target,
        format: OutputFormat.ESM,
        minify: bundlingDefaults.minify,
        sourceMap: bundlingDefaults.sourceMap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: bundlingDefaults.sourcesContent,
        mainFields: [...bundlingDefaults.mainFields],
        externalModules: [...bundlingDefaults.externalModules, ...(props.nativeModules ?? [])],
        banner: esmRequireBanner,
        esbuildArgs: {
          '--alias': Object.entries(bundlingDefaults.aliases).map(([name, target]) => `${name}=${target}`),
        },
        ...(props.nativeModules?.length || props.bundledDirs?.length
          ? {
              commandHooks: withBundledDirs(
                props.nativeModules?.length ? copyNativeModules(props.nativeModules) : undefined,
                props.bundledDirs ?? [],
              ),
            }
          : {}),
        forceDockerBundling: false,
      },
    });
  }

  /** Sets `envName` to the table name and grants exactly `actions` on the table (and its indexes if asked). */
  bindTable(
    envName: string,
    table: ITable,
    actions: readonly DynamoAction[],
    options: { indexes?: boolean } = {},
  ): this {
    this.fn.addEnvironment(envName, table.tableName);
    const resources = [table.tableArn, ...(options.indexes ? [`${table.tableArn}/index/*`] : [])];
    this.fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: [...actions], resources }));
    return this;
  }
}

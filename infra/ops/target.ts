// Where an ops command acts: the local runtime (default, found through DATA_DIR like `npm start`), or a deployed
// stage, resolved from its stack outputs with the caller's AWS credentials.

import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { connectToLocalRuntime } from '../local/connect.ts';
import { invokeLocally } from '../local/lambda-context.ts';

export interface OpsTarget {
  readonly description: string;
  readonly articlesTable: string;
  readonly countersTable: string;
  readonly siteBucket: string;
  /** Where photos enter processing (the quarantine prefix), as a contributor's upload does. */
  readonly uploadsBucket: string;
  /**
   * A deployed stage's CloudFront KeyValueStore (the edge's old-URL map); absent locally, where the gateway reads the
   * map from the site bucket.
   */
  readonly redirectStoreArn?: string;
  /** Sends a command event to the render function and returns its result. */
  render(command: unknown): Promise<unknown>;
  /** A deployed stage's rebuild state machine, which fans a rebuild out over render invocations; absent locally. */
  readonly rebuildStateMachineArn?: string;
  /** True when the render function runs in this process (local), so progress can be shown per page. */
  readonly inProcess: boolean;
}

export function parseStage(args: string[]): { stage?: string; rest: string[] } {
  const rest: string[] = [];
  let stage: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--stage') stage = args[++i];
    else if (arg.startsWith('--stage=')) stage = arg.slice('--stage='.length);
    else rest.push(arg);
  }
  if (stage !== undefined && !/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`--stage needs a stage name like "prod" (got "${stage ?? ''}").`);
  }
  return { ...(stage ? { stage } : {}), rest };
}

async function stackOutputs(
  client: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  const result = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = result.Stacks?.[0]?.Outputs ?? [];
  return Object.fromEntries(outputs.map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

/** The outputs of a stage's two stacks, `Newsroom-<stage>-Data` and `Newsroom-<stage>-Site`. */
export async function stageOutputs(
  stage: string,
  client: CloudFormationClient = new CloudFormationClient({}),
): Promise<{ data: Record<string, string>; site: Record<string, string> }> {
  const [data, site] = await Promise.all([
    stackOutputs(client, `Newsroom-${stage}-Data`),
    stackOutputs(client, `Newsroom-${stage}-Site`),
  ]);
  return { data, site };
}

export async function resolveTarget(stage: string | undefined): Promise<OpsTarget> {
  if (!stage) {
    const runtime = connectToLocalRuntime();
    const tables = {
      articlesTable: process.env.ARTICLES_TABLE ?? '',
      countersTable: process.env.COUNTERS_TABLE ?? '',
      siteBucket: process.env.SITE_BUCKET ?? '',
      uploadsBucket: process.env.UPLOADS_BUCKET ?? '',
    };
    return {
      description: `local runtime at ${runtime.url} (${runtime.dataDir})`,
      ...tables,
      inProcess: true,
      render: (command) => invokeLocally('render', command, 15 * 60_000),
    };
  }
  const { data, site } = await stageOutputs(stage);
  const missing = ['ArticlesTableName', 'CountersTableName', 'SiteBucketName', 'UploadsBucketName'].filter(
    (k) => !data[k],
  );
  if (missing.length > 0 || !site.RenderFunctionName) {
    throw new Error(
      `stage "${stage}" is missing stack outputs (${[...missing, 'RenderFunctionName'].join(', ')}); deploy it first.`,
    );
  }
  const lambda = new LambdaClient({});
  return {
    description: `stage ${stage} (${site.SiteUrl ?? 'deployed'})`,
    articlesTable: data.ArticlesTableName ?? '',
    countersTable: data.CountersTableName ?? '',
    siteBucket: data.SiteBucketName ?? '',
    uploadsBucket: data.UploadsBucketName ?? '',
    ...(site.RedirectStoreArn ? { redirectStoreArn: site.RedirectStoreArn } : {}),
    ...(site.RebuildStateMachineArn ? { rebuildStateMachineArn: site.RebuildStateMachineArn } : {}),
    inProcess: false,
    async render(command) {
      const result = await lambda.send(
        new InvokeCommand({
          FunctionName: site.RenderFunctionName,
          Payload: Buffer.from(JSON.stringify(command)),
        }),
      );
      const payload = result.Payload ? JSON.parse(Buffer.from(result.Payload).toString('utf8')) : null;
      if (result.FunctionError) throw new Error(`render failed: ${JSON.stringify(payload)}`);
      return payload;
    },
  };
}

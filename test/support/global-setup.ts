// Starts one in-memory dynalite (behind the local runtime's proxy) and one s3rver for the whole test run and points the SDK at them;
// test/support/worker-tables.ts then gives each worker its own tables. The servers and browser lanes (vitest.config.ts)
// both name this file, and vitest runs each project's global setup: the second reuses what the first started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDynalite, startS3rver } from '../../infra/local/aws-servers.ts';
import { startDynamoProxy } from '../../infra/local/dynamo-proxy.ts';
import { useLocalAws } from '../../infra/local/environment.ts';

interface Started {
  users: number;
  stop: Promise<() => Promise<void>>;
}

const shared = globalThis as { newsroomTestAws?: Started };

async function start(): Promise<() => Promise<void>> {
  const s3Dir = mkdtempSync(path.join(tmpdir(), 'newsroom-test-s3-'));
  const dynamo = await startDynalite();
  // The local runtime's DynamoDB proxy, with no stream tables here: it adds what dynalite lacks (transactions).
  const proxy = await startDynamoProxy(dynamo.endpoint, []);
  const s3 = await startS3rver({ directory: s3Dir });
  useLocalAws({ dynamodb: proxy.endpoint, s3: s3.endpoint });
  return async () => {
    await proxy.close();
    await dynamo.close();
    await s3.close();
    rmSync(s3Dir, { recursive: true, force: true });
  };
}

export default async function setup(): Promise<() => Promise<void>> {
  shared.newsroomTestAws ??= { users: 0, stop: start() };
  const started = shared.newsroomTestAws;
  started.users += 1;
  await started.stop;
  return async () => {
    started.users -= 1;
    if (started.users > 0) return;
    shared.newsroomTestAws = undefined;
    await (await started.stop)();
  };
}

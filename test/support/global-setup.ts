// Starts one in-memory dynalite and one s3rver for the whole test run and points the SDK at them;
// test/support/worker-tables.ts then gives each worker its own tables.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDynalite, startS3rver } from '../../infra/local/aws-servers.ts';
import { useLocalAws } from '../../infra/local/environment.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const s3Dir = mkdtempSync(path.join(tmpdir(), 'newsroom-test-s3-'));
  const dynamo = await startDynalite();
  const s3 = await startS3rver({ directory: s3Dir });
  useLocalAws({ dynamodb: dynamo.endpoint, s3: s3.endpoint });

  return async () => {
    await dynamo.close();
    await s3.close();
    rmSync(s3Dir, { recursive: true, force: true });
  };
}

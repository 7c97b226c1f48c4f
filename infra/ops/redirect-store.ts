// Fills a deployed stage's CloudFront KeyValueStore (the edge's old-URL map) from the map the importer wrote: keys
// that changed are put, keys no longer in the map are deleted, in UpdateKeys calls within the API's limits, each
// against the store's current ETag. A write that finds the store changed under it reads the store again and retries.
// The KeyValueStore API takes SigV4a only; `@aws-sdk/signature-v4a` is the SDK's pure-JavaScript signer for it
// (importing it registers it), so no native module is needed.
import '@aws-sdk/signature-v4a';
import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  ListKeysCommand,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { redirectStoreLimits } from '../../shared/site-paths.ts';

/** UpdateKeys limits: 50 keys (puts and deletes together) and 3 MB of payload per call. */
export const updateKeysLimits = { keys: 50, payloadBytes: 3 * 1024 * 1024 } as const;

/** Full passes (read the store, write the difference) before a store that keeps changing is given up on. */
const ATTEMPTS = 5;

export interface StoreSyncOutcome {
  readonly put: number;
  readonly deleted: number;
  readonly unchanged: number;
  /** UpdateKeys calls that succeeded. */
  readonly updates: number;
  /** Writes refused because the store had changed since it was read (each followed by a fresh read). */
  readonly conflicts: number;
}

type Op = { kind: 'put'; key: string; value: string } | { kind: 'delete'; key: string };

/** The ops in calls of at most 50 keys and 3 MB of JSON; deletes first, so a full store makes room before it grows. */
export function updateBatches(ops: readonly Op[]): Op[][] {
  const ordered = [...ops.filter((o) => o.kind === 'delete'), ...ops.filter((o) => o.kind === 'put')];
  const batches: Op[][] = [];
  let current: Op[] = [];
  let bytes = 0;
  for (const op of ordered) {
    const size =
      op.kind === 'put'
        ? Buffer.byteLength(JSON.stringify({ Key: op.key, Value: op.value })) + 1
        : Buffer.byteLength(JSON.stringify({ Key: op.key })) + 1;
    if (current.length === updateKeysLimits.keys || bytes + size > updateKeysLimits.payloadBytes - 64) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(op);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function storeKeys(client: CloudFrontKeyValueStoreClient, arn: string): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListKeysCommand({ KvsARN: arn, MaxResults: 50, ...(token ? { NextToken: token } : {}) }),
    );
    for (const item of page.Items ?? []) keys.set(item.Key ?? '', item.Value ?? '');
    token = page.NextToken;
  } while (token);
  return keys;
}

const nameOf = (error: unknown): string => (error as { name?: string }).name ?? '';

/** A one-line reason for what the service refused, for the CLI. */
function storeError(error: unknown, arn: string): Error {
  const message = (error as { message?: string }).message ?? String(error);
  switch (nameOf(error)) {
    case 'ResourceNotFoundException':
      return new Error(`the redirect store ${arn} does not exist; deploy the stage first`);
    case 'AccessDeniedException':
      return new Error(`not allowed to update the redirect store ${arn}: ${message}`);
    case 'ServiceQuotaExceededException':
      return new Error(`the redirect store ${arn} is full (5 MB): ${message}`);
    case 'ValidationException':
      return new Error(`the redirect store ${arn} refused an update: ${message}`);
    default:
      return new Error(`could not update the redirect store ${arn}: ${message}`);
  }
}

/** Makes the store hold exactly `map`. */
export async function syncRedirectStore(
  map: Readonly<Record<string, string>>,
  deps: { readonly client: CloudFrontKeyValueStoreClient; readonly arn: string },
): Promise<StoreSyncOutcome> {
  for (const [key, value] of Object.entries(map)) {
    if (
      Buffer.byteLength(key) > redirectStoreLimits.keyBytes ||
      Buffer.byteLength(value) > redirectStoreLimits.valueBytes
    )
      throw new Error(`redirect ${key.slice(0, 80)} is longer than the KeyValueStore allows`);
  }
  let put = 0;
  let deleted = 0;
  let updates = 0;
  let conflicts = 0;
  let unchanged = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      const { ETag } = await deps.client.send(new DescribeKeyValueStoreCommand({ KvsARN: deps.arn }));
      let etag = ETag;
      const current = await storeKeys(deps.client, deps.arn);
      const ops: Op[] = [
        ...Object.entries(map)
          .filter(([key, value]) => current.get(key) !== value)
          .map(([key, value]): Op => ({ kind: 'put', key, value })),
        ...[...current.keys()].filter((key) => !(key in map)).map((key): Op => ({ kind: 'delete', key })),
      ];
      unchanged = Object.keys(map).length - ops.filter((o) => o.kind === 'put').length;
      try {
        for (const batch of updateBatches(ops)) {
          const puts = batch.flatMap((o) => (o.kind === 'put' ? [{ Key: o.key, Value: o.value }] : []));
          const deletes = batch.flatMap((o) => (o.kind === 'delete' ? [{ Key: o.key }] : []));
          const result = await deps.client.send(
            new UpdateKeysCommand({
              KvsARN: deps.arn,
              IfMatch: etag,
              ...(puts.length > 0 ? { Puts: puts } : {}),
              ...(deletes.length > 0 ? { Deletes: deletes } : {}),
            }),
          );
          etag = result.ETag;
          put += puts.length;
          deleted += deletes.length;
          updates++;
        }
        return { put, deleted, unchanged, updates, conflicts };
      } catch (error) {
        // Another writer changed the store since it was read: read it again and write what still differs.
        if (nameOf(error) !== 'ConflictException') throw error;
        conflicts++;
        if (attempt === ATTEMPTS) {
          throw new Error(
            `the redirect store ${deps.arn} kept changing during the import (${ATTEMPTS} attempts); run the import again`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('the redirect store')) throw error;
    throw storeError(error, deps.arn);
  }
}

/** The client for a deployed stage's store (the service is global; the signature covers every region). */
export const redirectStoreClient = (): CloudFrontKeyValueStoreClient =>
  new CloudFrontKeyValueStoreClient({ region: process.env.AWS_REGION ?? 'us-east-1' });

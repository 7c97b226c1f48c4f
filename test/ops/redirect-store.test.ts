// `npm run import -- --stage …` fills the stage's CloudFront KeyValueStore: the real SDK client (SigV4a by the
// pure-JavaScript signer) against a local fake of the service (test/support/fake-kvs.ts) that checks ETags and
// the API's limits.
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { afterEach, describe, expect, it } from 'vitest';
import { syncRedirectStore, updateBatches, updateKeysLimits } from '#infra/ops/redirect-store.ts';
import { withDedecmsAids } from '#shared/site-paths.ts';
import { type FakeKvs, kvsLimits, startFakeKvs } from '../support/fake-kvs.ts';

let kvs: FakeKvs | undefined;
afterEach(async () => {
  await kvs?.close();
  kvs = undefined;
});

const clientFor = (config: FakeKvs['clientConfig']) =>
  new CloudFrontKeyValueStoreClient({
    ...config,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });

/** A map like the importer's: WordPress permalinks and their `?p=N` twins, plus the DedeCMS flag. */
function redirectMap(count: number, salt = ''): Record<string, string> {
  const map: Record<string, string> = withDedecmsAids({}, [35, 36, 105]);
  for (let i = 0; i < count; i++) {
    const target = `/2021/0${(i % 9) + 1}15/wp${salt}${i.toString(16).padStart(12, '0')}.html`;
    map[`/2021/05/%E6%B3%95%E5%BE%8B-${i}/`] = target;
    map[`/?p=${i}`] = target;
  }
  return map;
}

describe('syncRedirectStore', () => {
  it('fills an empty store in calls of at most 50 keys, signed with SigV4a, and a re-run writes nothing', async () => {
    kvs = await startFakeKvs();
    const client = clientFor(kvs.clientConfig);
    const map = redirectMap(120); // 241 keys
    const first = await syncRedirectStore(map, { client, arn: kvs.arn });
    expect(first).toMatchObject({ put: 241, deleted: 0, updates: 5, conflicts: 0 });
    expect(Object.fromEntries(kvs.items)).toEqual(map);
    const updates = kvs.calls.filter((c) => c.startsWith('UpdateKeys'));
    expect(updates).toEqual([
      'UpdateKeys 50+0',
      'UpdateKeys 50+0',
      'UpdateKeys 50+0',
      'UpdateKeys 50+0',
      'UpdateKeys 41+0',
    ]);

    kvs.calls.length = 0;
    const again = await syncRedirectStore(map, { client, arn: kvs.arn });
    expect(again).toMatchObject({ put: 0, deleted: 0, unchanged: 241, updates: 0 });
    expect(kvs.calls.filter((c) => c.startsWith('UpdateKeys'))).toEqual([]);
  });

  it('puts what changed and deletes keys that are no longer in the map', async () => {
    const before = redirectMap(30);
    kvs = await startFakeKvs({ ...before, '/old/gone.html': '/2020/0101/wp000000000999.html' });
    const next = redirectMap(20, 'x'); // 20 posts retargeted, 10 posts (20 keys) and the stray key gone
    const outcome = await syncRedirectStore(next, { client: clientFor(kvs.clientConfig), arn: kvs.arn });
    expect(outcome).toMatchObject({ put: 40, deleted: 21, unchanged: 1 });
    expect(Object.fromEntries(kvs.items)).toEqual(next);
    // Deletes go first, so a store near its 5 MB makes room before it grows.
    expect(kvs.calls.filter((c) => c.startsWith('UpdateKeys'))).toEqual([
      'UpdateKeys 29+21',
      'UpdateKeys 11+0',
    ]);
  });

  it('reads the store again and retries when another writer changed it (stale ETag)', async () => {
    kvs = await startFakeKvs();
    kvs.interleaveWrites(2);
    const map = redirectMap(10);
    const outcome = await syncRedirectStore(map, { client: clientFor(kvs.clientConfig), arn: kvs.arn });
    expect(outcome.conflicts).toBe(2);
    expect(Object.fromEntries(kvs.items)).toEqual(map);
    expect(kvs.calls.filter((c) => c === 'DescribeKeyValueStore')).toHaveLength(3);
  });

  it('gives up with one clear line when the store keeps changing', async () => {
    kvs = await startFakeKvs();
    kvs.interleaveWrites(100);
    await expect(
      syncRedirectStore(redirectMap(3), { client: clientFor(kvs.clientConfig), arn: kvs.arn }),
    ).rejects.toThrow(
      /^the redirect store arn:aws:cloudfront::\d+:key-value-store\/\S+ kept changing during the import \(5 attempts\); run the import again$/,
    );
  }, 20_000);

  it('says which store is missing, in one line', async () => {
    kvs = await startFakeKvs();
    const arn = 'arn:aws:cloudfront::123456789012:key-value-store/missing';
    await expect(
      syncRedirectStore(redirectMap(1), { client: clientFor(kvs.clientConfig), arn }),
    ).rejects.toThrow(`the redirect store ${arn} does not exist; deploy the stage first`);
  });

  it('refuses a value longer than the store allows before writing anything', async () => {
    kvs = await startFakeKvs();
    const map = { '/a.html': `/${'x'.repeat(kvsLimits.valueBytes)}` };
    await expect(
      syncRedirectStore(map, { client: clientFor(kvs.clientConfig), arn: kvs.arn }),
    ).rejects.toThrow(/longer than the KeyValueStore allows/);
    expect(kvs.calls).toEqual([]);
  });
});

describe('updateBatches', () => {
  it('keeps each call within 50 keys and 3 MB', () => {
    const big = 'v'.repeat(1000);
    const ops = Array.from({ length: 7000 }, (_, i) => ({
      kind: 'put' as const,
      key: `/${'k'.repeat(500)}${i}`,
      value: big,
    }));
    const batches = updateBatches(ops);
    expect(batches.flat()).toHaveLength(7000);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(updateKeysLimits.keys);
      const body = JSON.stringify({
        Puts: batch.map((o) => ({ Key: o.key, Value: o.kind === 'put' ? o.value : '' })),
      });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(updateKeysLimits.payloadBytes);
    }
  });
});

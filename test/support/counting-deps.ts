// Render dependencies that record what a run writes and invalidates, over the real S3 adapters: the per-page store
// and the bulk (listing) store alike, so a test sees every write whichever store a render chose.
import type { S3Client } from '@aws-sdk/client-s3';
import type { RenderDeps } from '#functions/render/handler.ts';
import { s3SiteStore, snapshotSiteStore } from '#shared/aws/site-store.ts';
import type { ListedSiteStore, SiteStore } from '#shared/ports.ts';

export interface CountingDeps extends RenderDeps {
  readonly written: string[];
  /** One entry per invalidation request, with its paths. */
  readonly invalidated: string[][];
}

export function countingDeps(real: RenderDeps, s3: S3Client, bucket: string): CountingDeps {
  const written: string[] = [];
  const invalidated: string[][] = [];
  const counting = <S extends SiteStore>(inner: S): S => ({
    ...inner,
    put: async (o: Parameters<SiteStore['put']>[0]) => {
      const changed = await inner.put(o);
      if (changed) written.push(o.key);
      return changed;
    },
  });
  return {
    ...real,
    written,
    invalidated,
    store: counting(s3SiteStore(s3, bucket)),
    bulkStore: async (force): Promise<ListedSiteStore> =>
      counting(await snapshotSiteStore(s3, bucket, force)),
    invalidator: { invalidate: async (paths) => void invalidated.push([...paths]) },
  };
}

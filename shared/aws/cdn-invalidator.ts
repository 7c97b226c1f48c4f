// CloudFront adapter for cache invalidation, batched within CloudFront's limits.
import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { CacheInvalidator } from '../ports.ts';

/** CloudFront accepts at most 3,000 paths in one invalidation request. */
export const MAX_PATHS_PER_INVALIDATION = 3000;
/**
 * Past this many paths one `/*` is cheaper (a wildcard counts as one path for billing) and stays far from the
 * limit of 3,000 paths in progress; a full rebuild lands here.
 */
export const WILDCARD_THRESHOLD = 500;

/** Directory indexes are cached under both `/x/` and `/x/index.html`. */
export function invalidationPaths(paths: readonly string[]): string[] {
  const all = new Set<string>();
  for (const p of paths) {
    all.add(p);
    if (p.endsWith('/index.html')) all.add(p.slice(0, -'index.html'.length));
  }
  const sorted = [...all].sort();
  return sorted.length > WILDCARD_THRESHOLD ? ['/*'] : sorted;
}

export function cloudFrontInvalidator(
  client: CloudFrontClient,
  distributionId: string,
  callerReference: () => string = () => `render-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
): CacheInvalidator {
  return {
    async invalidate(paths) {
      const items = invalidationPaths(paths);
      for (let i = 0; i < items.length; i += MAX_PATHS_PER_INVALIDATION) {
        const batch = items.slice(i, i + MAX_PATHS_PER_INVALIDATION);
        await client.send(
          new CreateInvalidationCommand({
            DistributionId: distributionId,
            InvalidationBatch: {
              CallerReference: callerReference(),
              Paths: { Quantity: batch.length, Items: batch },
            },
          }),
        );
      }
    },
  };
}

/** Local mode has no CDN: the gateway reads the bucket directly. */
export const noCdn: CacheInvalidator = { invalidate: async () => undefined };

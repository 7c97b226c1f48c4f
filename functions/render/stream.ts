// A batch of Articles stream records: the changed articles' pages, then the pages that waited for processed photos.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { parseRecord } from '#shared/render/stream-records.ts';
import type { RenderDeps } from './deps.ts';
import { renderChangesAndWait, renderPhotoArrivals } from './photo-waits.ts';
import { combined, ensureAssets, NOTHING } from './publish.ts';

export async function renderBatch(
  event: DynamoDBStreamEvent,
  deps: RenderDeps,
): Promise<DynamoDBBatchResponse> {
  await ensureAssets(deps);
  const parsed = (event.Records ?? []).map(parseRecord);
  const batchItemFailures = parsed.flatMap((p) => {
    if (p.ok) return [];
    deps.log.error('unreadable stream record', { sequenceNumber: p.sequenceNumber, reason: p.reason });
    return [{ itemIdentifier: p.sequenceNumber }];
  });
  const changes = parsed.flatMap((p) => (p.ok && 'change' in p ? [p.change] : []));
  const processed = parsed.flatMap((p) => (p.ok && 'processedPhoto' in p ? [p.processedPhoto] : []));
  if (changes.length > 0 || processed.length > 0) {
    const edited = changes.length > 0 ? await renderChangesAndWait(changes, deps) : NOTHING;
    // After the pages: a publish is on the site before search can find it, and an unpublish leaves search next.
    if (changes.length > 0) await deps.searchMark.mark();
    const outcome = combined(edited, await renderPhotoArrivals(deps, processed));
    deps.log.info('batch rendered', {
      records: parsed.length,
      failed: batchItemFailures.length,
      processedPhotos: processed.length,
      rendered: outcome.rendered,
      written: outcome.written.length,
      removed: outcome.removed.length,
    });
  }
  return { batchItemFailures };
}

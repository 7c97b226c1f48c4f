// Builds the static search index with Pagefind (the extended binary, which segments Chinese words as it indexes),
// in memory: records in, index files out. The files are served from the site bucket under SEARCH_INDEX_PREFIX and
// searched in the browser by pagefind.js (WebAssembly in a worker); there is no search server.
import * as pagefind from 'pagefind';
import type { SearchRecord } from './records.ts';

export interface IndexFile {
  /** Path under the index's folder, e.g. `pagefind-entry.json`, `index/zh_3edba9b.pf_index`. */
  readonly path: string;
  readonly content: Uint8Array;
}

/**
 * The files the site serves: the engine (pagefind.js, its worker and WebAssembly), the entry file, and the index
 * chunks. Pagefind's own UIs are left out: the search page has its own script (site-assets/search.js).
 */
const SERVED =
  /^(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|wasm\.[\w-]+\.pagefind|pagefind\.[\w-]+\.pf_meta|(index|fragment|filter)\/[\w-]+\.pf_(index|fragment|filter))$/;

/** Records handed to the Pagefind service at once (each is a message to its process). */
const IN_FLIGHT = 64;

export interface BuiltIndex {
  readonly files: readonly IndexFile[];
  readonly records: number;
}

/** Indexes `records` and returns the files to serve. */
export async function buildSearchIndex(
  records: AsyncIterable<readonly SearchRecord[]> | Iterable<readonly SearchRecord[]>,
): Promise<BuiltIndex> {
  const created = await pagefind.createIndex({});
  const index = created.index;
  if (!index) throw new Error(`Pagefind did not start: ${created.errors.join('; ')}`);
  try {
    let count = 0;
    for await (const batch of records) {
      for (let i = 0; i < batch.length; i += IN_FLIGHT) {
        const answers = await Promise.all(
          batch.slice(i, i + IN_FLIGHT).map((record) =>
            index.addCustomRecord({
              url: record.url,
              content: record.content,
              language: record.language,
              meta: { ...record.meta },
              filters: { channel: [...record.filters.channel], year: [...record.filters.year] },
            }),
          ),
        );
        const failed = answers.flatMap((a) => a.errors);
        if (failed.length > 0) throw new Error(`Pagefind refused records: ${failed.slice(0, 3).join('; ')}`);
        count += answers.length;
      }
    }
    const built = await index.getFiles();
    if (built.errors.length > 0) throw new Error(`Pagefind could not build: ${built.errors.join('; ')}`);
    const files = built.files
      .filter((f) => SERVED.test(f.path))
      .map((f) => ({ path: f.path, content: f.content }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    return { files, records: count };
  } finally {
    await index.deleteIndex();
    // Ends Pagefind's process: an idle one would hold the index's memory between builds.
    await pagefind.close();
  }
}

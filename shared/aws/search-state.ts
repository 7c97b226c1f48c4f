// The search index's two small state objects in the site bucket (under `_state/`, never served): render's change
// mark, and what the search function last published. Two objects, one writer each.
import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { YearIndexState } from '../search/publish-index.ts';
import type { SearchChangeMark, SearchIndexState } from '../search/reindex.ts';
import { STATE_PREFIX } from '../site-paths.ts';
import { s3StateObject } from './state-object.ts';

export const SEARCH_CHANGED_KEY = `${STATE_PREFIX}search-changed.json`;
export const SEARCH_INDEX_STATE_KEY = `${STATE_PREFIX}search-index.json`;

export function s3SearchChangeMark(client: S3Client, bucket: string): SearchChangeMark {
  const object = s3StateObject(client, bucket, SEARCH_CHANGED_KEY);
  return {
    // The time orders marks for people reading the object; the random part makes two marks in one millisecond differ.
    mark: () =>
      object.write(JSON.stringify({ at: new Date().toISOString(), mark: randomBytes(6).toString('hex') })),
    async read() {
      const text = await object.read();
      if (text === undefined) return undefined;
      try {
        const { at, mark } = JSON.parse(text) as { at?: unknown; mark?: unknown };
        return `${String(at)} ${String(mark)}`;
      } catch {
        // An unreadable mark still differs from any built one, so the next look rebuilds.
        return text;
      }
    },
  };
}

export function s3SearchIndexState(client: S3Client, bucket: string): SearchIndexState {
  const object = s3StateObject(client, bucket, SEARCH_INDEX_STATE_KEY);
  return {
    async read() {
      const text = await object.read();
      if (text === undefined) return undefined;
      try {
        const parsed = JSON.parse(text) as { built?: unknown; keys?: unknown; years?: unknown };
        if (!Array.isArray(parsed.keys)) return undefined;
        const strings = (list: unknown): string[] =>
          Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
        const years: Record<string, YearIndexState> = {};
        if (typeof parsed.years === 'object' && parsed.years !== null) {
          for (const [year, value] of Object.entries(parsed.years as Record<string, unknown>)) {
            const y = value as { fingerprint?: unknown; primary?: unknown; keys?: unknown };
            if (typeof y?.fingerprint === 'string')
              years[year] = {
                fingerprint: y.fingerprint,
                primary: y.primary === true,
                keys: strings(y.keys),
              };
          }
        }
        return {
          ...(typeof parsed.built === 'string' ? { built: parsed.built } : {}),
          keys: strings(parsed.keys),
          years,
        };
      } catch {
        return undefined;
      }
    },
    write: (state) => object.write(JSON.stringify(state)),
  };
}

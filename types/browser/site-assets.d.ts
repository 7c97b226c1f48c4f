// What the page scripts in site-assets/ share through `window`, and the Pagefind API search.js loads, for
// `tsc -p tsconfig.browser.json` (part of `npm run typecheck`). The scripts' own JSDoc types the rest.

/** site-assets/photo-upload.js: photo uploads with progress, shared by the 投稿 page and the editor desk. */
interface NewsroomPhotos {
  /** Why the page must not send `file` (`type`, or `size` when empty or over `maxBytes`), or undefined. */
  refusal(file: File, maxBytes: number): 'type' | 'size' | undefined;
  /** The <progress> bar of a photo's row, labelled with the file's name. */
  progressBar(file: File): HTMLProgressElement;
  /** Uploads `file` for `item` (its `data-key` on success, `data-failed` on failure); resolves with why it failed. */
  uploadPhoto(file: File, item: HTMLElement, progress: HTMLProgressElement): Promise<string | undefined>;
  /** S3's refusal of a presigned POST as a reason a contributor can act on. */
  uploadError(status: number, body: unknown): string;
}

interface Window {
  newsroomPhotos: NewsroomPhotos;
}

/** Pagefind's browser API, as site-assets/search.js uses it (the search function writes it under /pagefind/). */
interface Pagefind {
  mergeIndex(path: string): Promise<void>;
  filters(): Promise<Record<string, Record<string, number>>>;
  search(
    term: string,
    options?: { filters?: Record<string, string> },
  ): Promise<{ results: PagefindSearchResult[] } | null>;
}

interface PagefindSearchResult {
  id: string;
  data(): Promise<PagefindResult>;
}

interface PagefindResult {
  url: string;
  content: string;
  excerpt: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

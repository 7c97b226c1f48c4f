// Each function's timeout, defined once: NewsFunction gives it to Lambda, and the local runtime gives its handlers
// the same deadline (infra/local/lambda-context.ts), so work that fits in AWS fits locally and the reverse.
import type { LambdaName } from './bundling.ts';

export const FUNCTION_TIMEOUT_SECONDS = {
  // The API functions answer inside the HTTP API's 30 s integration limit.
  submit: 10,
  views: 10,
  uploads: 10,
  // From test/bench/hostile-render.bench.ts: the worst 100,000-character hostile body renders as a page (the
  // preview) in 0.41 s on one 2-core x64 core; 256 MB gets ~0.15 vCPU, so ~2.8 s, plus two reads. 10 s leaves 3.5x.
  review: 10,
  // Decoding a 40 MP photo at 2 GB.
  images: 60,
  // From test/bench/hostile-render.bench.ts: a worst-case hostile body costs 0.41 s per article page here, ~0.7 s
  // at 1024 MB (~0.58 vCPU); a stream batch holds at most 100 records, so ~70 s plus list pages and S3 writes.
  // 5 minutes leaves ~4x before a batch times out and is retried or bisected. A rebuild's plan of a 100,000-article
  // archive reads every listing once, within it.
  render: 300,
  // A look builds at most what fits in SEARCH_BUILD_BUDGET_MS and publishes it (docs/SEARCH.md).
  search: 900,
} as const satisfies Record<LambdaName, number>;

// `npm run bench`: every test/bench/*.bench.ts in turn, each in its own Node 24 process, so one benchmark's
// warm caches never flatter the next.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n━━ ${bench} ━━`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, bench)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (run.status !== 0) {
    failed++;
    console.log(`✗ ${bench} exited with ${run.status}`);
  }
}
console.log(`\n${benches.length - failed} benchmarks ran, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

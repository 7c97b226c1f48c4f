// 定时发布 timing in the local runtime: an article scheduled 5 s ahead must not be served before its time and must be
// served within 1.5 s after it, in every trial (goal: 10 of 10). Polls the page every 20 ms from the moment of
// scheduling. Runs the real runtime on a free port with a fresh data dir and the sample content.
import { articlePath } from '../../shared/domain/urls.ts';
import { startTestRuntime } from '../support/runtime.ts';

const TRIALS = Number(process.env.TRIALS ?? 10);
const AHEAD_S = 5;
const GOAL_MS = 1500;

const rt = await startTestRuntime({ seed: true });
const headers = { authorization: `Bearer ${rt.editorToken}`, 'content-type': 'application/json' };
const results: { early: number; lateMs: number }[] = [];
try {
  for (let i = 0; i < TRIALS; i++) {
    const submitted = await rt.fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `定时发布测试稿件 ${i}`,
        body: '## 小标题\n\n正文段落。',
        author: '',
        channel: 'focus/public-welfare',
      }),
    });
    const { id } = (await submitted.json()) as { id: string };
    // `at` has whole seconds: 5 s after the next whole second.
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + AHEAD_S * 1000).toISOString();
    const scheduled = await rt.fetch(`/api/admin/submissions/${id}/schedule`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ at, revision: 1 }),
    });
    if (scheduled.status !== 200)
      throw new Error(`schedule answered ${scheduled.status}: ${await scheduled.text()}`);
    const url = articlePath({ id, publishedAt: at });
    const due = Date.parse(at);
    let early = 0;
    let lateMs = Number.POSITIVE_INFINITY;
    for (;;) {
      const page = await rt.fetch(url);
      await page.arrayBuffer();
      const now = Date.now();
      if (page.status === 200) {
        if (now < due) early++;
        else {
          lateMs = now - due;
          break;
        }
      }
      if (now - due > 10_000) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    results.push({ early, lateMs });
    console.log(
      `  trial ${i + 1}: served before its time ${early} times; served ${Number.isFinite(lateMs) ? `${lateMs} ms` : 'never (10 s)'} after it`,
    );
  }
} finally {
  await rt.dispose();
}
const passed = results.filter((r) => r.early === 0 && r.lateMs <= GOAL_MS).length;
const lates = results.map((r) => r.lateMs).sort((a, b) => a - b);
const at = (q: number) => lates[Math.min(lates.length - 1, Math.floor(q * lates.length))] ?? 0;
console.log(`scheduled ${AHEAD_S} s ahead → page served, ${TRIALS} trials in the sample site`);
console.log(`  never served early: ${results.every((r) => r.early === 0) ? 'yes' : 'NO'}`);
console.log(`  after its time: median ${at(0.5)} ms, max ${at(1)} ms`);
console.log(
  `  goal: ${TRIALS} of ${TRIALS} within ${GOAL_MS} ms → ${passed} of ${TRIALS}, max ${(at(1) / GOAL_MS).toFixed(2)}× the goal → ${passed === TRIALS ? 'met' : 'NOT met'}`,
);
if (passed !== TRIALS) process.exitCode = 1;

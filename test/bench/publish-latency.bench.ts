// Local publish latency: from the publish response to the page being served by the gateway (goal ≤ 1 s).
// Runs the real local runtime on a free port with a fresh data dir and the sample content.
import { startTestRuntime } from '../support/runtime.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const GOAL_MS = 1000;

const rt = await startTestRuntime({ seed: true });
const headers = { authorization: `Bearer ${rt.editorToken}`, 'content-type': 'application/json' };
const latencies: number[] = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    const submitted = await rt.fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `延迟测试稿件 ${i}`,
        body: '## 小标题\n\n正文段落。',
        author: '',
        channel: 'focus/public-welfare',
      }),
    });
    const { id } = (await submitted.json()) as { id: string };
    const published = await rt.fetch(`/api/admin/submissions/${id}/publish`, { method: 'POST', headers });
    const { url } = (await published.json()) as { url: string };
    const start = performance.now();
    for (;;) {
      const page = await rt.fetch(url);
      await page.arrayBuffer();
      if (page.status === 200) break;
      if (performance.now() - start > 10_000) throw new Error(`page ${url} not served after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    latencies.push(performance.now() - start);
  }
} finally {
  await rt.dispose();
}
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(`publish → page served, ${ROUNDS} publishes into the sample site (${latencies.length} measured)`);
console.log(`  median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, max ${at(1).toFixed(0)} ms`);
console.log(
  `  goal ≤ ${GOAL_MS} ms: max is ${(at(1) / GOAL_MS).toFixed(2)}× the goal → ${at(1) <= GOAL_MS ? 'met' : 'NOT met'}`,
);

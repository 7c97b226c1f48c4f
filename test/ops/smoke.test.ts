// `npm run smoke` against the local runtime: every check passes on a working site, the CLI exits 0, and it fails
// with one clear line when there is no site to check.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmokeChecks, SMOKE_TITLE_PREFIX } from '#infra/ops/smoke.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { freePort } from '../support/site-runtime.ts';

let rt: TestRuntime;
const editor = () => ({ authorization: `Bearer ${rt.editorToken}` });

beforeAll(async () => {
  rt = await startTestRuntime({ seed: true });
});
afterAll(async () => {
  await rt.dispose();
});

/** The CLI in a process of its own, asynchronously: the runtime it checks runs in this one. */
const smokeCli = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'infra/ops/smoke.ts', ...args],
      { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('npm run smoke', () => {
  it('passes every check against the local runtime, and rejects its submission with an editor token', async () => {
    const results = await runSmokeChecks({
      siteUrl: rt.url,
      description: rt.url,
      https: false,
      connectOrigins: [],
      editorToken: rt.editorToken,
    });
    expect(results.filter((r) => r.outcome !== 'pass')).toEqual([]);
    expect(results.map((r) => r.name)).toEqual([
      'home page',
      'sitemap',
      'robots.txt',
      'feed',
      'article page',
      'channel page',
      'submit page',
      'editor desk',
      'editor config',
      '404 page',
      'submission',
      'smoke submission rejected',
      'view count',
      'security headers',
    ]);
    const rejected = await rt.fetch('/api/admin/submissions?status=rejected', { headers: editor() });
    const titles = ((await rejected.json()) as { items: { title: string }[] }).items.map((i) => i.title);
    expect(titles.some((t) => t.startsWith(SMOKE_TITLE_PREFIX))).toBe(true);
  });

  it('runs from the command line with one line per check and exit code 0; without a token the submission stays pending', async () => {
    const run = await smokeCli(['--url', rt.url], { EDITOR_TOKEN: '' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`smoke → ${rt.url}`);
    expect(lines.filter((l) => l.startsWith('✓'))).toHaveLength(13);
    expect(lines).toContainEqual(expect.stringMatching(/^- smoke submission rejected +no editor token: /));
    expect(lines.at(-1)).toBe('smoke: 13 passed, 0 failed, 1 skipped');
  });

  it('finds the runtime through DATA_DIR, as the other ops commands do', async () => {
    const run = await smokeCli([], { DATA_DIR: rt.dataDir, EDITOR_TOKEN: rt.editorToken });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('smoke: 14 passed, 0 failed, 0 skipped');
  });

  it('fails with a one-line message and exit code 1 when nothing answers', async () => {
    const port = await freePort();
    const run = await smokeCli(['--url', `http://127.0.0.1:${port}`], { EDITOR_TOKEN: '' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `^✗ home page +GET /: no answer from http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)$`,
        'm',
      ),
    );
    expect(run.stdout.trim().split('\n').at(-1)).toBe('smoke: 0 passed, 1 failed, 13 skipped');
  });

  it('refuses an unknown argument with a one-line usage message', async () => {
    const run = await smokeCli(['--stag', 'prod']);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'error: unknown argument --stag; usage: npm run smoke -- [--stage name | --url URL] [--editor-token token]',
    );
  });
});

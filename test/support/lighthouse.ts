// Lighthouse (mobile preset, the default config) against Debian's Chromium, launched here with a DevTools port so
// nothing is downloaded: the same binary and flags the browser tests use.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './browser.ts';

/** The pages Lighthouse checks: one of each template readers land on. */
export const LIGHTHOUSE_PAGES = {
  article: '/2022/0415/2a8c6bce1fad40bb.html',
  channel: '/focus/public-welfare/',
  home: '/',
  search: `/search/?q=${encodeURIComponent('信访')}`,
} as const;

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface PageReport {
  readonly url: string;
  /** 0–100 per category; null when Lighthouse could not score it. */
  readonly scores: Record<Category, number | null>;
  /** Audits below a full score, by category, with their title and what Lighthouse says about them. */
  readonly failing: Record<Category, string[]>;
  readonly metrics: Record<string, string>;
}

export interface LighthouseChrome {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts Chromium with a DevTools port and a throw-away profile. */
export async function launchLighthouseChrome(): Promise<LighthouseChrome> {
  const profile = mkdtempSync(path.join(tmpdir(), 'newsroom-lighthouse-'));
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [...CHROMIUM_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools port: ${seen}`)), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}): ${seen}`));
    });
  });
  return {
    port,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One Lighthouse run (default config = mobile emulation, simulated throttling) on one URL. */
export async function audit(
  chrome: LighthouseChrome,
  url: string,
  categories: readonly Category[] = CATEGORIES,
): Promise<PageReport> {
  const result = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: [...categories],
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const scores = {} as Record<Category, number | null>;
  const failing = {} as Record<Category, string[]>;
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    scores[id] = category?.score == null ? null : Math.round(category.score * 100);
    failing[id] = (category?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0)
      .map((ref) => lhr.audits[ref.id])
      .filter((a) => a !== undefined && a.score !== null && a.score < 1)
      .map(
        (a) =>
          `${a?.id} (${a?.score}): ${a?.title}${a?.displayValue ? ` — ${a.displayValue}` : ''}${describeItems(a?.details)}`,
      );
  }
  const metrics: Record<string, string> = {};
  for (const id of [
    'first-contentful-paint',
    'largest-contentful-paint',
    'total-blocking-time',
    'cumulative-layout-shift',
    'speed-index',
  ]) {
    const value = lhr.audits[id]?.displayValue;
    if (value) metrics[id] = value;
  }
  return { url, scores, failing, metrics };
}

/** The first few offending items of an audit, so a failure says where to look. */
function describeItems(details: unknown): string {
  const items = (details as { items?: unknown[] } | undefined)?.items;
  if (!Array.isArray(items) || items.length === 0) return '';
  const shown = items.slice(0, 3).map((item) => {
    const record = item as Record<string, unknown>;
    const node = record.node as { snippet?: string; explanation?: string } | undefined;
    return node?.snippet
      ? `${node.snippet}${node.explanation ? ` (${node.explanation.replaceAll('\n', ' ')})` : ''}`
      : JSON.stringify(record).slice(0, 200);
  });
  return `\n      ${shown.join('\n      ')}`;
}

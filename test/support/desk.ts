// The editor desk in Chromium, as the desk journeys use it: a runtime with the desk and 投稿 pages written, one
// browser, and a desk signed in with a role's token in its own context.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { viewports, watchPage } from './browser.ts';
import { ensureEditorialPages } from './editorial-pages.ts';
import type { TestRuntime } from './runtime.ts';
import { useBrowserSuite } from './suite.ts';

/** The machine is shared: a save, a render or a page load may take seconds. */
export const SLOW = { timeout: 20_000 };

export interface DeskSuite {
  readonly runtime: TestRuntime;
  readonly browser: Browser;
  /** A desk signed in with `token`, in its own browser context (its own sessionStorage). */
  deskAs(token: string, viewport?: { width: number; height: number }): Promise<SignedInDesk>;
}

export interface SignedInDesk {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, failed requests and CSP reports seen by the page (watchPage). */
  readonly problems: string[];
}

/** Starts `start()` (with the desk and 投稿 pages written) and a browser before the file's tests, stops both after. */
export function useDeskSuite(start: () => Promise<TestRuntime>): DeskSuite {
  const started = useBrowserSuite(async () => {
    const runtime = await start();
    try {
      await ensureEditorialPages(runtime);
    } catch (error) {
      await runtime.dispose();
      throw error;
    }
    return runtime;
  });
  const suite: DeskSuite = {
    get runtime() {
      return started.runtime;
    },
    get browser() {
      return started.browser;
    },
    async deskAs(token, viewport = viewports.desktop) {
      const context = await suite.browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await context.newPage();
      const { problems, ready } = watchPage(page);
      await ready;
      await page.goto(`${suite.runtime.url}/admin/`);
      await page.waitForSelector('[data-local-token]:not([hidden])');
      await page.fill('#editor-token', token);
      await page.click('[data-local-token] button[type="submit"]');
      await page.waitForSelector('[data-desk]:not([hidden])');
      return { context, page, problems };
    },
  };
  return suite;
}

/** Opens the first article titled `title` in the `queue` tab and waits until the desk shows it. */
export async function openArticle(page: Page, queue: string, title: string): Promise<void> {
  await page.click(`[data-queue-status="${queue}"]`);
  await page.locator('[data-queue] .queue-item', { hasText: title }).first().click();
  await expect.poll(() => page.textContent('[data-article-title]'), SLOW).toBe(title);
}

/** The desk's status line. */
export const deskStatus = (page: Page) => page.textContent('[data-desk-status]');

/** Submits an article as a contributor would and returns its id. */
export async function submitArticle(
  runtime: TestRuntime,
  article: { title: string; body: string; channel: string; author?: string },
): Promise<string> {
  const created = await runtime.fetch('/api/submissions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author: '', ...article }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

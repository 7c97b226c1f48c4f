// Debian's Chromium driven by playwright-core, with the flags this machine needs (no sandbox as root, no
// background networking on a closed network).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });

export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 900 },
} as const;

/**
 * Collects console errors, failed requests and CSP violations while a page is used. Chromium also logs a blocked
 * load as a console error ('Refused to …'); the `securitypolicyviolation` event catches the rest (report-only,
 * inline handlers), on every document the page loads. `ready` resolves once that listener is installed: await it
 * before the first navigation.
 */
export function watchPage(page: Page): { problems: string[]; ready: Promise<void> } {
  const problems: string[] = [];
  const ready = (async () => {
    await page.exposeBinding('__reportCspViolation', (_source, violation: string) => {
      problems.push(`csp: ${violation}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as { __reportCspViolation?: (v: string) => void })
          .__reportCspViolation;
        report?.(
          `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`,
        );
      });
    });
  })();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/')) {
      problems.push(`http ${response.status()}: ${response.url()}`);
    }
  });
  return { problems, ready };
}

/** Screenshots for a person to look at; the folder is git-ignored. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.resolve(import.meta.dirname, '../../screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

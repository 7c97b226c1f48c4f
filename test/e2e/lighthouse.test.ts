// Lighthouse (mobile preset) on the article, channel and home pages of the local site, in Debian's Chromium and
// offline. Accessibility, best practices and SEO do not depend on timing, so they must be 100 here; performance
// depends on the machine and is reported by `npm run bench:lighthouse` instead.
import { describe, expect, it } from 'vitest';
import { audit, type Category, LIGHTHOUSE_PAGES, launchLighthouseChrome } from '../support/lighthouse.ts';
import { startSiteRuntime } from '../support/site-runtime.ts';
import { useRuntime, useStarted } from '../support/suite.ts';

const DETERMINISTIC: readonly Category[] = ['accessibility', 'best-practices', 'seo'];

const runtime = useRuntime(startSiteRuntime);
const chrome = useStarted('Chrome', launchLighthouseChrome, (c) => c.close());

describe('Lighthouse, mobile', () => {
  for (const [name, path] of Object.entries(LIGHTHOUSE_PAGES)) {
    it(`${name} page (${path}): accessibility, best practices and SEO are 100`, {
      timeout: 90_000,
    }, async () => {
      const report = await audit(chrome(), `${runtime().url}${path}`, DETERMINISTIC);
      const failing = DETERMINISTIC.flatMap((c) => report.failing[c].map((line) => `${c}: ${line}`));
      // The failing audits, with their offending elements, are the message when a score drops.
      if (failing.length > 0) console.log(`${path}\n  ${failing.join('\n  ')}`);
      expect({ scores: DETERMINISTIC.map((c) => [c, report.scores[c]]), failing }).toEqual({
        scores: DETERMINISTIC.map((c) => [c, 100]),
        failing: [],
      });
    });
  }
});

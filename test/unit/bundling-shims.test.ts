// The bundles swap markdown-it's `entities` and `linkify-it` for shims (infra/constructs/bundling.ts, aliases). The
// entity shim must decode exactly as the package does; the linkify shim must fail loudly if it is ever called.
import { decodeHTML as packageDecodeHTML, decodeHTMLStrict as packageDecodeHTMLStrict } from 'entities';
import { describe, expect, it } from 'vitest';
import { decodeHTML, decodeHTMLStrict } from '#infra/bundling-shims/entities-decode.mjs';
import LinkifyIt from '#infra/bundling-shims/linkify-off.mjs';

describe('bundling shims', () => {
  it('decodes entities with the package own decoder', () => {
    expect(decodeHTML).toBe(packageDecodeHTML);
    expect(decodeHTMLStrict).toBe(packageDecodeHTMLStrict);
    expect(decodeHTML('&copy; &amp; &#x4E2D;&nbsp')).toBe('© & 中\u00a0');
  });

  it('refuses to linkify instead of leaving URLs unlinked without a word', () => {
    const linkify = new LinkifyIt();
    expect(() => linkify.test('https://example.com')).toThrow(/linkify must stay off/);
    expect(() => linkify.pretest('https://example.com')).toThrow(/linkify must stay off/);
  });
});
